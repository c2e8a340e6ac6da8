import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

/**
 * `npm run test:electron`: the integration suite inside desktop VS Code (@vscode/test-electron).
 * Desktop VS Code is used from VSCODE_EXECUTABLE, from a `code` on PATH, or downloaded; on a
 * machine where none is possible (no internet, as in our CI) the suite says so and does not run:
 * that is NOT a pass. The real-editor test that always runs is `npm run test:e2e` (code-server).
 */
const REPO = resolve(__dirname, '..', '..', '..');

function which(command: string): string | undefined {
  try {
    return execFileSync('which', [command], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function findVSCode(): Promise<{ path?: string; reason?: string }> {
  if (process.env.VSCODE_EXECUTABLE && existsSync(process.env.VSCODE_EXECUTABLE)) return { path: process.env.VSCODE_EXECUTABLE };
  const onPath = which('code');
  if (onPath) return { path: onPath };
  try {
    const download = downloadAndUnzipVSCode({ version: 'stable', timeout: 15_000 });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('download timed out after 20 s')), 20_000));
    return { path: await Promise.race([download, timeout]) };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

async function main(): Promise<void> {
  const vscode = await findVSCode();
  if (!vscode.path) {
    console.log('test:electron NOT RUN (this is not a pass): desktop VS Code is not installed here and cannot be downloaded');
    console.log(`  (${vscode.reason}). Set VSCODE_EXECUTABLE to a VS Code binary to run it.`);
    console.log('  The real-editor journey runs in code-server instead: npm run test:e2e.');
    return;
  }
  const workspace = mkdtempSync(join(tmpdir(), 'segment-lens-electron-'));
  cpSync(join(REPO, 'test', 'fixtures', 'workspaces', 'tiny'), workspace, { recursive: true });
  const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY;
  const xvfb = needsDisplay ? which('xvfb-run') : undefined;
  if (needsDisplay && !xvfb) {
    console.log('test:electron NOT RUN (this is not a pass): no display and no xvfb-run (apt-get install xvfb).');
    return;
  }
  const exitCode = await runTests({
    vscodeExecutablePath: vscode.path,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: join(__dirname, 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { SEGMENT_LENS_TEST_WORKSPACE: workspace },
  });
  process.exitCode = exitCode;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
