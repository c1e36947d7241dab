import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { consoleLogger, EmbeddedRuntime, type MurmurHome, resolveHome } from '../src/index.js';
import { routeServices } from './fixtures/route-services.js';

describe('HTTP routes served from a worker thread', () => {
  let home: MurmurHome;
  let runtime: EmbeddedRuntime;
  const delivered: string[] = [];
  beforeAll(async () => {
    home = resolveHome({ MURMUR_HOME: mkdtempSync(join(tmpdir(), 'murmur-worker-')) });
    const config = { prefix: 'said: ' };
    runtime = await EmbeddedRuntime.start({
      home,
      services: routeServices(config, async (input) => {
        delivered.push((input as { detail: { text: string } }).detail.text);
      }),
      log: consoleLogger({ level: 'error', write: () => {} }),
      dispatcher: { pollMs: 60_000 }, // only the worker's "published" message can wake it in time
      http: {
        port: 0,
        worker: {
          services: {
            module: new URL('./fixtures/route-services.ts', import.meta.url).href,
            exportName: 'routeServices',
            config,
          },
          log: { level: 'error' },
        },
      },
    });
  });
  afterAll(async () => {
    await runtime.stop();
    rmSync(home.root, { recursive: true, force: true });
  });

  it('answers from the worker, and the main thread delivers what the worker published', async () => {
    const res = await fetch(`${runtime.http!.url}/say`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { eventId: string; thread: string };
    expect(body.thread).toBe('worker');
    await runtime.dispatcher.idle(10_000);
    expect(delivered).toEqual(['said: hello']);
    expect(runtime.bus.eventsAfter(0).map((e) => e.envelope.id)).toEqual([body.eventId]);
  });

  it('applies the route limits in the worker too', async () => {
    const res = await fetch(`${runtime.http!.url}/say`, { method: 'POST', body: 'x'.repeat(2048) });
    expect(res.status).toBe(413);
  });
});

describe('an HTTP worker that cannot start', () => {
  it('fails the runtime start with the reason, leaving nothing running', async () => {
    const root = mkdtempSync(join(tmpdir(), 'murmur-worker-bad-'));
    await expect(
      EmbeddedRuntime.start({
        home: resolveHome({ MURMUR_HOME: root }),
        services: [],
        log: consoleLogger({ level: 'error', write: () => {} }),
        http: {
          port: 0,
          worker: {
            services: {
              module: new URL('./fixtures/route-services.ts', import.meta.url).href,
              exportName: 'nope',
              config: {},
            },
          },
        },
      }),
    ).rejects.toThrow(/exports no function nope/);
    rmSync(root, { recursive: true, force: true });
  });
});
