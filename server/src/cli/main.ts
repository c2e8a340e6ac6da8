import { Command, CommanderError } from 'commander';
import { startServer } from '../server';
import { CliUsageError, exitQuietlyWhenPipeCloses, processIo, type CliIo } from './io';
import { registerCoverageCommand } from './coverageCommand';
import { registerDiffCommand } from './diffCommand';
import { registerEvaluateCommand } from './evaluateCommand';
import { registerGenerateCommand } from './generateCommand';
import { registerOverlapCommand } from './overlapCommand';
import { registerPullCommand } from './pullCommand';
import { registerPullSegmentsCommand } from './pullSegmentsCommand';
import { registerPushCommand } from './pushCommand';
import { registerSqlCommand } from './sqlCommand';
import { registerValidateCommand } from './validateCommand';

/** Builds the `segment-lens` command line. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('segment-lens')
    .description('Validate, explain and evaluate Klaviyo segment definitions against a local workspace.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();
  registerValidateCommand(program, io);
  registerEvaluateCommand(program, io);
  registerDiffCommand(program, io);
  registerOverlapCommand(program, io);
  registerSqlCommand(program, io);
  registerCoverageCommand(program, io);
  registerGenerateCommand(program, io);
  registerPullCommand(program, io);
  registerPullSegmentsCommand(program, io);
  registerPushCommand(program, io);
  program
    .command('lsp')
    .description('run the language server (for any LSP editor)')
    .option('--stdio', 'talk LSP over stdin/stdout (the default)')
    .option('--node-ipc', 'talk LSP over Node IPC')
    .action(() => {
      if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) process.argv.push('--stdio');
      startServer();
    });
  return program;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<void> {
  if (io === processIo) exitQuietlyWhenPipeCloses();
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other parse failure is a usage error.
      io.exitCode(error.exitCode === 0 ? 0 : 2);
    } else if (error instanceof CliUsageError) {
      io.err(`segment-lens: ${error.message}`);
      io.exitCode(2);
    } else {
      io.err(`segment-lens: ${error instanceof Error ? error.message : String(error)}`);
      io.exitCode(1);
    }
  }
}
