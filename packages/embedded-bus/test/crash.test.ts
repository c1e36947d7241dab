import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Dispatcher, EmbeddedBus, listDeadLetters } from '../src/index.js';
import { type TestBus, tempBus } from './helpers.js';

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a crash mid-delivery', () => {
  let t: TestBus | undefined;
  afterEach(() => t?.cleanup());

  it('loses nothing: a SIGKILLed runtime leaves work that the next start delivers', async () => {
    // Prepare: a child process publishes 20 events and hangs inside its first deliveries.
    t = tempBus();
    t.bus.close();
    const started = join(t.dir, 'started.txt');
    // `node --import tsx`, not the tsx binary: the pid we kill must be the one delivering.
    const worker = join(import.meta.dirname, 'fixtures', 'crash-worker.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', worker, t.path, started, '20'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += String(b)));
    await waitFor(
      () => existsSync(started) && readFileSync(started, 'utf8').trim().split('\n').length >= 4,
    ).catch(() => {
      throw new Error(`worker never started delivering: ${stderr}`);
    });

    // Act: kill it without warning, then start again on the same file.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const bus = new EmbeddedBus({ path: t.path });
    const delivered = new Set<string>();
    const published = bus.eventsAfter(0).map((e) => e.envelope.id);
    const dispatcher = new Dispatcher(bus, {
      pollMs: 5,
      functions: new Map([['slow', async (_i, ctx) => void delivered.add(ctx.event.id)]]),
    });
    dispatcher.start(); // the dead process's lock is stale: it exists no more
    await dispatcher.idle();
    await dispatcher.stop();
    const deadLetters = listDeadLetters(bus);
    bus.close();

    // Assess: every event delivered, the interrupted ones included (at least once).
    expect(published).toHaveLength(20);
    expect([...delivered].sort()).toEqual([...published].sort());
    const interrupted = readFileSync(started, 'utf8').trim().split('\n');
    for (const id of interrupted) expect(delivered.has(id)).toBe(true);
    expect(deadLetters).toEqual([]);
  });
});
