import type { CancellationToken, RemoteConsole } from 'vscode-languageserver';

/**
 * Runs a request handler so that a cancelled request returns the fallback and a failing one
 * logs and returns the fallback instead of an error the editor would show as a popup.
 */
export async function guard<T>(console: RemoteConsole, what: string, token: CancellationToken | undefined, fallback: T, run: () => T | Promise<T>): Promise<T> {
  if (token?.isCancellationRequested) return fallback;
  try {
    const result = await run();
    return token?.isCancellationRequested ? fallback : result;
  } catch (error) {
    console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}
