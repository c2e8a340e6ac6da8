import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix } from '../segment/problem';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './diagnostics';

/** Quick fixes for our diagnostics in the requested range, from the fixes they carry. */
export function quickFixes(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    for (const fix of data?.fixes ?? []) actions.push(fixToAction(document, fix, [diagnostic]));
  }
  return actions;
}

/** A workspace edit for one fix, as an LSP code action. */
export function fixToAction(document: TextDocument, fix: Fix, diagnostics: Diagnostic[] = [], kind: string = CodeActionKind.QuickFix): CodeAction {
  return {
    title: fix.title,
    kind,
    diagnostics: diagnostics.length ? diagnostics : undefined,
    isPreferred: fix.isPreferred,
    edit: {
      changes: {
        [document.uri]: fix.edits.map((edit) => ({
          range: { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.length) },
          newText: edit.newText,
        })),
      },
    },
  };
}
