import { InvalidEventPatternError } from '@murmur/event-pattern';
import { Command, CommanderError } from 'commander';
import { ZodError, z } from 'zod';
import { registerArchive } from './commands/archive.js';
import { registerCost } from './commands/cost.js';
import { registerDlq } from './commands/dlq.js';
import { registerEvents } from './commands/events.js';
import { registerLake } from './commands/lake.js';
import { registerQuery } from './commands/query.js';
import { registerReplay } from './commands/replay.js';
import { registerRules } from './commands/rules.js';
import { registerSimulate } from './commands/simulate.js';
import { registerStart } from './commands/start.js';
import { registerX } from './commands/x.js';
import { CliError, type CliIO } from './io.js';

export function createProgram(io: CliIO): Command {
  const program = new Command('murmur')
    .description('Murmur: an event-driven bot for X. State lives in MURMUR_HOME (default ./.murmur).')
    // Inherited by every subcommand (commander copies it on .command()): errors return, never exit.
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerStart(program, io);
  registerEvents(program, io);
  registerArchive(program, io);
  registerReplay(program, io);
  registerDlq(program, io);
  registerRules(program, io);
  registerSimulate(program, io);
  registerCost(program, io);
  registerQuery(program, io);
  registerLake(program, io);
  registerX(program, io);
  return program;
}

/** Runs one command line; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  try {
    await createProgram(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    if (error instanceof InvalidEventPatternError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof ZodError) {
      io.err(z.prettifyError(error));
      return 1;
    }
    if (error instanceof Error && /Exception$|Error$/.test(error.name) && error.name !== 'Error') {
      io.err(`${error.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
