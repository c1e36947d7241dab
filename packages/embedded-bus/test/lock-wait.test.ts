import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { WalCheckpointer } from '../src/index.js';
import { exampleEntry, functionRule, NO_RETRY, type TestBus, tempBus } from './helpers.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a publisher that must not stall its thread (lockWait: yield)', () => {
  let t: TestBus;
  let other: Database.Database;
  beforeEach(() => {
    t = tempBus({ lockWait: 'yield' });
    other = new Database(t.path);
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await t.cleanup();
  });

  it('keeps the event loop running while another connection writes, then stores', async () => {
    // Prepare: another connection (the dispatcher, another process) holds the write lock.
    other.exec('BEGIN IMMEDIATE');
    let stored = false;

    // Act
    const published = t.bus.publish(exampleEntry('MESSAGE_RECEIVED')).then((result) => {
      stored = true;
      return result;
    });
    const started = Date.now();
    await tick(30); // a sleeping busy handler would hold this timer up until the lock is free
    const timerLateBy = Date.now() - started - 30;
    expect(stored).toBe(false);
    other.exec('COMMIT');
    const { eventIds } = await published;

    // Assess
    expect(timerLateBy).toBeLessThan(25);
    expect(t.bus.eventsAfter(0).map((e) => e.envelope.id)).toEqual(eventIds);
  });

  it('lets publishes made while waiting join the waiting batch, in order', async () => {
    other.exec('BEGIN IMMEDIATE');
    const first = t.bus.publish(exampleEntry('MESSAGE_RECEIVED', { text: 'first' }));
    await tick(5);
    const second = t.bus.publish(exampleEntry('MESSAGE_RECEIVED', { text: 'second' }));
    other.exec('COMMIT');
    await Promise.all([first, second]);
    expect(t.bus.eventsAfter(0).map((e) => (e.envelope.detail as { text: string }).text)).toEqual([
      'first',
      'second',
    ]);
  });
});

describe('WalCheckpointer', () => {
  let t: TestBus;
  beforeEach(() => {
    t = tempBus({ autoCheckpoint: false });
  });
  afterEach(() => t.cleanup());

  const publishMany = async (n: number) => {
    for (let i = 0; i < n; i++) await t.bus.publish(exampleEntry('MESSAGE_RECEIVED', { text: `m${i}` }));
  };
  const walBytes = () => statSync(`${t.path}-wal`).size;

  it('folds the WAL of a connection that never checkpoints back into the database', async () => {
    await publishMany(50);
    const dbBefore = statSync(t.path).size;
    const checkpointer = new WalCheckpointer([t.path], { intervalMs: 60_000 });
    checkpointer.checkpoint();
    checkpointer.close();
    expect(statSync(t.path).size).toBeGreaterThan(dbBefore);
  });

  it('keeps the WAL from growing: after a round, writers reuse it from its start', async () => {
    const checkpointer = new WalCheckpointer([t.path], { intervalMs: 60_000 });
    await publishMany(50);
    const grown = walBytes();
    checkpointer.checkpoint();
    await publishMany(50); // with no checkpoint, appended: the file would double
    checkpointer.close();
    expect(walBytes()).toBeLessThan(grown * 1.5);
  });

  it('never waits for a writer: a round that finds the lock taken leaves the restart for later', async () => {
    await publishMany(5);
    const errors: unknown[] = [];
    const checkpointer = new WalCheckpointer([t.path], {
      intervalMs: 60_000,
      restartFrames: 1,
      onError: (e) => errors.push(e),
    });
    const writer = new Database(t.path);
    writer.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    checkpointer.checkpoint();
    const took = Date.now() - started;
    writer.exec('ROLLBACK');
    writer.close();
    checkpointer.close();
    expect(took).toBeLessThan(500); // the busy timeout would be 5 s
    expect(errors).toEqual([]);
  });
});

describe('a dispatcher running handlers that never await', () => {
  let t: TestBus;
  beforeEach(() => {
    t = tempBus();
  });
  afterEach(() => t.cleanup());

  it('lets timers and I/O run between claim rounds instead of draining the backlog in microtasks', async () => {
    // Prepare: a backlog, and a target that burns its thread without awaiting anything.
    t.bus.putRule(functionRule('sync', { 'detail-type': ['MESSAGE_RECEIVED'] }, NO_RETRY));
    t.bus.putEvents(Array.from({ length: 200 }, () => exampleEntry('MESSAGE_RECEIVED')));
    let delivered = 0;
    const d = t.dispatcher(
      {
        sync: async () => {
          const until = performance.now() + 0.2;
          while (performance.now() < until) {
            // busy on purpose
          }
          delivered++;
        },
      },
      { concurrency: 8 },
    );

    // Act: a timer due at once, set as delivering starts.
    let deliveredWhenTimerRan = -1;
    setTimeout(() => {
      deliveredWhenTimerRan = delivered;
    }, 0);
    d.start();
    await d.idle();

    // Assess
    expect(delivered).toBe(200);
    expect(deliveredWhenTimerRan).toBeGreaterThanOrEqual(0);
    expect(deliveredWhenTimerRan).toBeLessThan(200);
  });
});
