#!/usr/bin/env node
// Makes `npm start` / `npm test` work on a fresh clone with only Node installed:
// installs the pnpm workspace (pnpm itself comes from the registry through npx) when
// node_modules is missing or older than the lockfile.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@9.15.9';
const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');

const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  const frozen = existsSync(lock) ? ' --frozen-lockfile' : '';
  console.error(
    `[murmur] installing the workspace with ${PNPM} (first run only; better-sqlite3 may build from source)`,
  );
  execSync(`npx --yes ${PNPM} install${frozen} --reporter=default`, { cwd: root, stdio: 'inherit' });
}
