import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteIdempotencyStore } from '../src/index.js';

const OPTIONS = { ttlSeconds: 300, inProgressSeconds: 60 };

describe('SqliteIdempotencyStore', () => {
  let dir: string;
  let now: number;
  let a: SqliteIdempotencyStore;
  let b: SqliteIdempotencyStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-idem-'));
    now = 1_000_000;
    // Two connections to one file: what two processes (or two runtimes' CLI and server) see.
    a = new SqliteIdempotencyStore(join(dir, 'state.db'), () => now);
    b = new SqliteIdempotencyStore(join(dir, 'state.db'), () => now);
  });
  afterEach(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets exactly one claimant win a key, also within one call', async () => {
    const [first, second] = await Promise.all([
      a.begin(['k1', 'k2'], OPTIONS),
      b.begin(['k2', 'k3'], OPTIONS),
    ]);
    const winners = [...first, ...second].filter((s) => s === 'new');
    expect(winners).toHaveLength(3); // k1, one of the two k2 claims, k3
    expect(await a.begin(['k4', 'k4'], OPTIONS)).toEqual(['new', 'in-progress']);
  });

  it('reports completed keys until their TTL, then forgets them', async () => {
    await a.begin(['tweet:1'], OPTIONS);
    await a.complete(['tweet:1'], OPTIONS);
    expect(await b.begin(['tweet:1'], OPTIONS)).toEqual(['completed']);
    now += 301_000;
    expect(await b.begin(['tweet:1'], OPTIONS)).toEqual(['new']);
  });

  it('frees a released claim at once, and an abandoned one after inProgressSeconds', async () => {
    await a.begin(['released', 'abandoned'], OPTIONS);
    await a.release(['released']);
    expect(await b.begin(['released', 'abandoned'], OPTIONS)).toEqual(['new', 'in-progress']);
    now += 61_000; // the claimant crashed: its claim must not block X's retries for ever
    expect(await b.begin(['abandoned'], OPTIONS)).toEqual(['new']);
  });

  it('release never drops a completed record, and prune drops only expired ones', async () => {
    await a.begin(['done', 'old'], OPTIONS);
    await a.complete(['done'], OPTIONS);
    await a.release(['done']);
    expect(await a.begin(['done'], OPTIONS)).toEqual(['completed']);
    now += 61_000;
    expect(a.prune()).toBe(1); // 'old' was in progress and has expired
  });
});
