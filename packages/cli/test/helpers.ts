import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/index.js';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/**
 * A temp MURMUR_HOME and a way to run `murmur ...` in-process against it, with extra
 * environment and a Ctrl-C the test can press.
 */
export function cliHome(extraEnv: NodeJS.ProcessEnv = {}) {
  const root = mkdtempSync(join(tmpdir(), 'murmur-cli-'));
  const env = { MURMUR_HOME: join(root, 'home'), ...extraEnv };
  let press!: () => void;
  const interrupted = new Promise<void>((resolve) => (press = resolve));
  return {
    root,
    env,
    interrupt: () => press(),
    async run(...argv: string[]): Promise<CliRun> {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        env,
        cwd: root,
        interrupted,
      });
      return { code, out, err };
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
