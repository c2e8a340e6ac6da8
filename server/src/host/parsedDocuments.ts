import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ConditionMemo } from '../segment/conditionMemo';
import type { SegmentLanguage } from '../segment/languageService';
import type { ParsedSegment } from '../segment/parse';

/**
 * Parses each open document once per version; every feature reuses the same parsed value. Also
 * keeps, per document, the problems of its last validated version's conditions, which the next
 * version's validation reuses where a condition did not change.
 */
export class ParsedDocuments {
  private readonly cache = new Map<string, { version: number; parsed: ParsedSegment }>();
  private readonly memos = new Map<string, ConditionMemo>();

  constructor(private readonly language: SegmentLanguage) {}

  get(document: TextDocument): ParsedSegment {
    const cached = this.cache.get(document.uri);
    if (cached && cached.version === document.version) return cached.parsed;
    const parsed = this.language.parse(document.getText());
    this.cache.set(document.uri, { version: document.version, parsed });
    return parsed;
  }

  /** The condition memo of a document's diagnostics (see ConditionMemo). */
  conditionMemo(uri: string): ConditionMemo {
    let memo = this.memos.get(uri);
    if (!memo) this.memos.set(uri, (memo = new ConditionMemo()));
    return memo;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.memos.delete(uri);
  }
}
