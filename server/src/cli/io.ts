/** Where CLI commands write, so tests and the main entry can redirect it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  exitCode(code: number): void;
}

/** A usage error: the CLI prints it and exits with code 2. */
export class CliUsageError extends Error {}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  exitCode: (code) => {
    process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
  },
};
