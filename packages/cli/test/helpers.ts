import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/index.js';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** A temp MURMUR_HOME and a way to run `murmur ...` in-process against it. */
export function cliHome() {
  const root = mkdtempSync(join(tmpdir(), 'murmur-cli-'));
  const env = { MURMUR_HOME: join(root, 'home') };
  return {
    root,
    env,
    async run(...argv: string[]): Promise<CliRun> {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        env,
        cwd: root,
        interrupted: new Promise(() => {}),
      });
      return { code, out, err };
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
