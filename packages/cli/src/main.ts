#!/usr/bin/env node
import { runCli } from './program.js';

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
  interrupted,
});
process.exitCode = code;
// Long-running commands have returned by now; do not wait on idle handles.
if (code !== 0 || process.argv[2] !== 'start') setImmediate(() => process.exit(code));
