import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SegmentLanguage } from '../segment/languageService';
import type { ParsedSegment } from '../segment/parse';

/** Parses each open document once per version; every feature reuses the same parsed value. */
export class ParsedDocuments {
  private readonly cache = new Map<string, { version: number; parsed: ParsedSegment }>();

  constructor(private readonly language: SegmentLanguage) {}

  get(document: TextDocument): ParsedSegment {
    const cached = this.cache.get(document.uri);
    if (cached && cached.version === document.version) return cached.parsed;
    const parsed = this.language.parse(document.getText());
    this.cache.set(document.uri, { version: document.version, parsed });
    return parsed;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
