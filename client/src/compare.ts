import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, type CompareResult } from '../../server/src/protocol';

const n = (v: number | null) => (v === null ? 'n/a' : v.toLocaleString('en-US'));

/** A Venn-style text summary of two segments' overlap. */
export function compareSummary(a: string, b: string, result: CompareResult): string {
  if (result.both === null) return result.message ?? 'The segments could not be compared.';
  const jaccard = result.a !== null && result.b !== null && result.a + result.b - result.both > 0 ? result.both / (result.a + result.b - result.both) : 0;
  return [
    `${a}: ${n(result.a)} · ${b}: ${n(result.b)} · of ${n(result.total)} profiles`,
    `(  only ${a}: ${n(result.onlyA)}  (  both: ${n(result.both)}  )  only ${b}: ${n(result.onlyB)}  )   neither: ${n(result.neither)}`,
    `Overlap (Jaccard): ${(100 * jaccard).toFixed(1)}%`,
  ].join('\n');
}

/** "Segment Lens: Compare Two Segments": the active segment against one picked from the workspace. */
export async function compareSegments(client: LanguageClient, globs: string[], first?: vscode.Uri): Promise<void> {
  const files = (await Promise.all(globs.map((g) => vscode.workspace.findFiles(g, '**/node_modules/**')))).flat();
  const unique = [...new Map(files.map((f) => [f.toString(), f])).values()].sort((x, y) => x.path.localeCompare(y.path));
  const pick = async (title: string, exclude?: vscode.Uri) => {
    const choice = await vscode.window.showQuickPick(
      unique.filter((f) => f.toString() !== exclude?.toString()).map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
      { title },
    );
    return choice?.uri;
  };
  const a = first ?? (await pick('First segment'));
  if (!a) return;
  const b = await pick(`Compare ${vscode.workspace.asRelativePath(a)} with…`, a);
  if (!b) return;
  const result = await client.sendRequest<CompareResult>(Methods.compare, { uriA: a.toString(), uriB: b.toString() });
  const summary = compareSummary(vscode.workspace.asRelativePath(a), vscode.workspace.asRelativePath(b), result);
  const channel = vscode.window.createOutputChannel('Segment Lens: comparison');
  channel.appendLine(summary);
  channel.show(true);
  void vscode.window.showInformationMessage(summary.split('\n').slice(1).join(' '));
}
