import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
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

  it('lets one of many claims made at once win, also when they share one transaction', async () => {
    // Concurrent deliveries: same tick, same store, so one group transaction.
    const statuses = await Promise.all([
      a.begin(['dup', 'x1'], OPTIONS),
      a.begin(['dup', 'x2'], OPTIONS),
      a.begin(['dup'], OPTIONS),
    ]);
    expect(statuses).toEqual([['new', 'new'], ['in-progress', 'new'], ['in-progress']]);
  });

  it('runs the calls of one turn in the order they were made', async () => {
    await a.begin(['k'], OPTIONS);
    const [, afterComplete] = await Promise.all([a.complete(['k'], OPTIONS), a.begin(['k'], OPTIONS)]);
    expect(afterComplete).toEqual(['completed']);
    const [, afterRelease] = await Promise.all([a.release(['k']), a.begin(['k'], OPTIONS)]);
    expect(afterRelease).toEqual(['completed']); // release never drops a completed record
  });

  it('fails only the call with bad input, not the others in its transaction', async () => {
    const results = await Promise.allSettled([
      a.begin(['good-1'], OPTIONS),
      a.begin([{} as unknown as string], OPTIONS),
      a.begin(['good-2'], OPTIONS),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await b.begin(['good-1', 'good-2'], OPTIONS)).toEqual(['in-progress', 'in-progress']);
  });
});

describe('SqliteIdempotencyStore on a thread that must keep answering (lockWait: yield)', () => {
  it('lets the event loop run while another connection writes, then claims', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'murmur-idem-yield-'));
    const path = join(dir, 'state.db');
    const store = new SqliteIdempotencyStore(path, Date.now, { lockWait: 'yield' });
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const claimed = store.begin(['tweet:1'], OPTIONS);
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 30)); // held up if the claim slept in SQLite
      expect(Date.now() - started).toBeLessThan(55);
      other.exec('COMMIT');
      expect(await claimed).toEqual(['new']);
    } finally {
      other.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
