// Durable bus throughput: publish -> SQLite (WAL) -> archive -> deliveries, end to end, with
// the plumbing service's archive and catch-all log on, plus one handler rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleLogger, EmbeddedRuntime, resolveHome } from '@murmur/embedded-runtime';
import { loadExamples } from '@murmur/events';
import { plumbingService } from '@murmur/plumbing';
import { defineService, type PublishEntry } from '@murmur/ports';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runOnce(label: string, total: number, batch: number, publishers = 1): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'murmur-bench-'));
  let delivered = 0;
  const consumer = defineService({
    name: 'analysis',
    source: 'murmur.analysis',
    description: 'bench consumer',
    publishes: [],
    archives: [],
    subscriptions: [
      {
        ruleName: 'bench-consumer',
        description: 'counts MESSAGE_RECEIVED',
        eventPattern: { 'detail-type': ['MESSAGE_RECEIVED'], 'replay-name': [{ exists: false }] },
        targets: [{ kind: 'handler', handler: 'count' }],
      },
    ],
    handlers: { count: async () => void delivered++ },
  });
  const runtime = await EmbeddedRuntime.start({
    home: resolveHome({ MURMUR_HOME: root }),
    services: [plumbingService(), consumer],
    log: consoleLogger({ level: 'error' }),
    dispatcher: { concurrency: 256, pollMs: 5 },
  });
  const example = loadExamples().find((e) => e.valid && e.name === 'valid-mention-with-photos')!;
  const entry: PublishEntry = {
    source: 'murmur.ingress',
    detailType: 'MESSAGE_RECEIVED',
    detail: example.envelope.detail as never,
  };
  const entries = Array.from({ length: batch }, () => entry);
  const latencies: number[] = [];
  const started = performance.now();
  // Each publisher awaits its own publishes one after another, like a webhook request handler.
  const perPublisher = Math.ceil(total / batch / publishers);
  const publisher = async () => {
    for (let i = 0; i < perPublisher; i++) {
      const t0 = performance.now();
      await runtime.bus.publish(entries);
      latencies.push(performance.now() - t0);
      // Yield now and then so delivery runs alongside publishing, as in a live runtime.
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
  };
  await Promise.all(Array.from({ length: publishers }, publisher));
  const published = performance.now();
  await runtime.dispatcher.idle(600_000);
  const done = performance.now();
  latencies.sort((a, b) => a - b);
  const size = JSON.stringify(entry.detail).length;
  console.log(
    `${label}: ${latencies.length * batch} events (${size} B detail, batch ${batch}) | publish ${Math.round(total / ((published - started) / 1000))} ev/s | ` +
      `end to end ${Math.round(total / ((done - started) / 1000))} ev/s (delivered ${delivered} to the handler + ${total} to the log, archived ${total}) | ` +
      `publish latency p50 ${percentile(latencies, 50).toFixed(3)} ms p99 ${percentile(latencies, 99).toFixed(3)} ms`,
  );
  await runtime.stop();
  rmSync(root, { recursive: true, force: true });
}

export async function runBusBench(): Promise<void> {
  const total = Number(process.env.MURMUR_BENCH_EVENTS ?? 50_000);
  await runOnce('durable bus, one publisher, one event per publish', total, 1);
  await runOnce('durable bus, 16 concurrent publishers, one event per publish', total, 1, 16);
  await runOnce('durable bus, one publisher, 10 events per publish (PutEvents batch)', total, 10);
}
