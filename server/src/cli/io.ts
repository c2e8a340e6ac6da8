/** Where CLI commands write, so tests and the main entry can redirect it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  exitCode(code: number): void;
}

/** A usage error: the CLI prints it and exits with code 2. */
export class CliUsageError extends Error {}

/**
 * A reader that stops early (`segment-lens evaluate ... | head -3`) closes the pipe: the next
 * write fails with EPIPE. Like any Unix tool, the CLI then stops quietly with exit code 0
 * instead of dying with a stack trace.
 */
export function exitQuietlyWhenPipeCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      throw error;
    });
  }
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  exitCode: (code) => {
    process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
  },
};
