// The embedded runtime's analysis, as `murmur start` runs it (real local models, the demo photo
// host): latency from publishing MESSAGE_RECEIVED to MESSAGE_ANALYSED reaching a consumer, text
// only and with one photo, messages per minute, and the webhook's ack latency while photos are
// being analysed.
import { createHmac } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MEDIA_HOSTS, mediaLimitsFromEnv } from '@murmur/analysis';
import { consoleLogger, EmbeddedRuntime, FileBlobStore, resolveHome } from '@murmur/embedded-runtime';
import { type EventEnvelope, loadExamples, type MessageReceivedDetail } from '@murmur/events';
import { parseIngressConfig } from '@murmur/ingress';
import { defineService } from '@murmur/ports';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { DEMO_MEDIA_DIR } from '../packages/cli/src/demo-media.js';
import { createLocalAi } from '../packages/cli/src/local-ai.js';
import { localServices, toIngressConfigData } from '../packages/cli/src/services.js';

const SECRET = 'bench-consumer-secret-0123456789';
const ACCOUNT = '1500000000000000001';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** Unique photos (so no cache answers), all the demo street scene, served by a loopback host. */
async function uniquePhotos(count: number, dir: string): Promise<string[]> {
  const scene = readFileSync(join(DEMO_MEDIA_DIR, 'street.jpg'));
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `bench-${i}.jpg`;
    await sharp(scene)
      .modulate({ brightness: 1 + (i % 50) / 1000 })
      .jpeg({ quality: 80 + (i % 15) })
      .toFile(join(dir, name));
    names.push(name);
  }
  return names;
}

export async function runAnalysisBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'murmur-analysis-bench-'));
  const home = resolveHome({ MURMUR_HOME: join(root, 'home') });
  const photosDir = join(root, 'photos');
  mkdirSync(photosDir, { recursive: true });
  const photoNames = await uniquePhotos(60, photosDir);
  const photoHost = await serveDir(photosDir);
  const blobs = new FileBlobStore(home.media);
  // A copy, as `murmur start` makes: the gallery writes its embeddings cache beside the photos.
  const galleryDir = join(home.root, 'gallery');
  cpSync(join(DEMO_MEDIA_DIR, 'gallery'), galleryDir, { recursive: true });
  const ai = createLocalAi({ blobs, galleryDir, visionThreads: 1 });
  await ai.warmUp();
  const media = mediaLimitsFromEnv({ MURMUR_MEDIA_HOSTS: `${DEFAULT_MEDIA_HOSTS},${photoHost.hostPort}` });
  const ingress = parseIngressConfig({ X_CONSUMER_SECRET: SECRET, X_ACCOUNT_ID: ACCOUNT });

  const done = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const consumer = defineService({
    name: 'analytics',
    source: 'murmur.analytics',
    description: 'benchmark: notes when each analysis arrives',
    publishes: [],
    archives: [],
    subscriptions: [
      {
        ruleName: 'bench-analysed',
        description: 'MESSAGE_ANALYSED arrivals',
        eventPattern: { 'detail-type': ['MESSAGE_ANALYSED', 'MESSAGE_ANALYSIS_FAILED'] },
        targets: [{ kind: 'handler', handler: 'note' }],
      },
    ],
    handlers: {
      note: async (input) => {
        const id = (input as EventEnvelope).detail.messageId as string;
        done.set(id, performance.now());
        waiters.get(id)?.();
      },
    },
  });
  const runtime = await EmbeddedRuntime.start({
    home,
    services: [...localServices({ ingress: () => ingress, media: () => media }), consumer],
    log: consoleLogger({ level: 'error' }),
    sdk: ai.sdk,
    blobs,
    http: {
      port: 0,
      worker: {
        services: {
          module: new URL('../packages/cli/src/services.ts', import.meta.url).href,
          exportName: 'localServicesFromData',
          config: { ingress: toIngressConfigData(ingress) },
        },
        log: { level: 'error' },
      },
    },
  });

  const template = loadExamples().find((e) => e.name === 'valid-mention-with-photos')!.envelope
    .detail as unknown as MessageReceivedDetail;
  let next = 1_950_000_000_000_000_000n;
  const message = (photo?: string): MessageReceivedDetail => {
    const id = String(next++);
    return {
      ...template,
      messageId: id,
      tweetId: id,
      text: '@MurmurBot this is the worst service ever, I hate it. Support at Acme in London never answers.',
      media: photo ? [{ type: 'photo', url: `${photoHost.origin}/${photo}`, mediaKey: `3_${id}` }] : [],
    };
  };
  const publish = async (detail: MessageReceivedDetail) => {
    const arrived = new Promise<void>((resolve) => waiters.set(detail.messageId, resolve));
    const start = performance.now();
    await runtime.bus.publish({ source: 'murmur.ingress', detailType: 'MESSAGE_RECEIVED', detail });
    return { id: detail.messageId, start, arrived };
  };
  const latencies = async (count: number, photo: (i: number) => string | undefined) => {
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      const detail = message(photo(i));
      const { start, arrived } = await publish(detail);
      await arrived;
      values.push(done.get(detail.messageId)! - start);
    }
    return values;
  };
  const throughput = async (count: number, photo: (i: number) => string | undefined) => {
    const start = performance.now();
    const all = await Promise.all(Array.from({ length: count }, (_, i) => publish(message(photo(i)))));
    await Promise.all(all.map((p) => p.arrived));
    return (count / (performance.now() - start)) * 60_000;
  };

  try {
    // Warm-up: the vision worker loads its models on the first photo.
    await latencies(3, (i) => photoNames[50 + i]);

    const text = await latencies(200, () => undefined);
    console.log(
      `analysis, text only: p50 ${ms(percentile(text, 50))}, p95 ${ms(percentile(text, 95))}, max ${ms(Math.max(...text))} (200 messages, one at a time)`,
    );
    console.log(
      `analysis, text only: ${Math.round(await throughput(500, () => undefined))} messages/min (500 at once)`,
    );

    const photo = await latencies(20, (i) => photoNames[i]);
    console.log(
      `analysis, one photo: p50 ${ms(percentile(photo, 50))}, p95 ${ms(percentile(photo, 95))}, max ${ms(Math.max(...photo))} (20 messages, one at a time)`,
    );
    console.log(
      `analysis, one photo: ${Math.round(await throughput(20, (i) => photoNames[20 + i]))} messages/min (20 at once)`,
    );

    const seconds = Number(process.env.MURMUR_BENCH_SECONDS ?? 8);
    const idle = await ackLatency(`${runtime.http!.url}/twitter`, seconds);
    console.log(`webhook ack, nothing else running: ${idle}`);
    const inFlight = await Promise.all(
      Array.from({ length: 20 }, (_, i) => publish(message(photoNames[30 + i]))),
    );
    const busy = await ackLatency(`${runtime.http!.url}/twitter`, seconds);
    const pending = inFlight.filter((p) => !done.has(p.id)).length;
    console.log(
      `webhook ack, while 20 photos are analysed: ${busy} (${pending} of 20 analyses still running at the end)`,
    );
    await Promise.all(inFlight.map((p) => p.arrived));
  } finally {
    await runtime.stop();
    await ai.close();
    await photoHost.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Signed likes (no MESSAGE_RECEIVED, so no extra analysis): only the webhook's own work. */
async function ackLatency(url: string, seconds: number): Promise<string> {
  let n = 0;
  const signed = Array.from({ length: 60_000 }, (_, i) => {
    const body = JSON.stringify({
      for_user_id: ACCOUNT,
      favorite_events: [
        {
          id: `fav-${Date.now()}-${i}`,
          created_at: 'Sat Nov 21 10:00:00 +0000 2026',
          timestamp_ms: 1795255200000,
          favorited_status: { id_str: '1800000000000000001', text: 'hi', user: { id_str: ACCOUNT } },
          user: { id_str: String(4000 + (i % 500)), name: 'Fan', screen_name: `fan${i % 500}` },
        },
      ],
    });
    return { body, signature: `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}` };
  });
  const result = await autocannon({
    url,
    connections: 16,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { body, signature } = signed[n++ % signed.length]!;
          return {
            ...request,
            body,
            headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature },
          };
        },
      },
    ],
  });
  return `${Math.round(result['2xx'] / seconds)} deliveries/s (non-2xx ${result.non2xx}), ack p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`;
}

async function serveDir(dir: string) {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const server = createServer(async (req, res) => {
    const name = (req.url ?? '/').slice(1);
    if (!/^bench-\d+\.jpg$/.test(name)) return void res.writeHead(404).end();
    const body = await readFile(join(dir, name));
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
