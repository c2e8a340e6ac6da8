import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';

/** Our diagnostics of `uri`, as soon as VS Code has them (it says so with onDidChangeDiagnostics). */
function diagnosticsOf(uri: vscode.Uri, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'segment-lens');
    const done = (settle: () => void) => {
      subscription.dispose();
      clearTimeout(timer);
      settle();
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      const found = ours();
      if (event.uris.some((u) => u.toString() === uri.toString()) && found.length > 0) done(() => resolve(found));
    });
    const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for diagnostics of ${uri.toString()}`))), timeoutMs);
    const already = ours();
    if (already.length > 0) done(() => resolve(already));
  });
}

/**
 * Waits for `probe` to return a truthy value, asking again every 100 ms: VS Code announces no
 * event when a provider's code lenses change, so the code lens is polled (with a deadline).
 */
async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs inside the VS Code extension host (called by @vscode/test-electron). */
export async function run(): Promise<void> {
  const workspace = process.env.SEGMENT_LENS_TEST_WORKSPACE as string;
  const segment = vscode.Uri.file(join(workspace, 'segments', 'buyers.json'));
  const broken = vscode.Uri.file(join(workspace, 'segments', 'broken.json'));
  await vscode.workspace.fs.writeFile(
    broken,
    Buffer.from('{"condition_groups":[{"conditions":[{"type":"profile-region","in_region":true,"region_id":"european_union"}]}]}'),
  );

  const document = await vscode.workspace.openTextDocument(broken);
  await vscode.window.showTextDocument(document);
  const diagnostics = await diagnosticsOf(broken);
  assert.equal(diagnostics[0].code, 'legacy-region-id');

  const buyers = await vscode.workspace.openTextDocument(segment);
  await vscode.window.showTextDocument(buyers);
  const lenses = await waitFor(async () => {
    const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', segment);
    return found?.some((l) => l.command?.title.startsWith('Matches 2 of 4')) ? found : undefined;
  }, 'the count code lens');
  assert.ok(lenses.length >= 2);
  await vscode.commands.executeCommand('segmentLens.evaluate', segment);
  console.log('electron suite: diagnostics, code lens and Evaluate Segment work');
}
