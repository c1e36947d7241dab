import { resolveHome } from '@murmur/embedded-runtime';

/** Where a command writes, and the environment it reads: real process streams, or a test's buffers. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user asks a long-running command to stop (Ctrl-C). */
  interrupted: Promise<void>;
}

/** An error the CLI reports as one clean line, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function homeOf(io: CliIO) {
  return resolveHome(io.env, io.cwd);
}
