// Signed webhook deliveries against a runtime on loopback (autocannon): deliveries/s and ack
// latency, with idle consumers and with a consumer that is busy on every message.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const SECRET = 'bench-consumer-secret-0123456789';
const ACCOUNT = '1500000000000000001';

function mentionBody(n: number): string {
  const id = String(1_800_000_000_000_000_000n + BigInt(n));
  return JSON.stringify({
    for_user_id: ACCOUNT,
    tweet_create_events: [
      {
        created_at: 'Sat Nov 21 10:00:00 +0000 2026',
        id_str: id,
        text: `@murmurbot benchmark message number ${n}, with a little text like a real mention has`,
        truncated: false,
        in_reply_to_user_id_str: ACCOUNT,
        user: { id_str: String(4_000 + (n % 500)), name: 'Load Tester', screen_name: `load${n % 500}` },
        entities: { user_mentions: [{ id_str: ACCOUNT, screen_name: 'murmurbot' }] },
        timestamp_ms: '1795255200000',
      },
    ],
  });
}

async function startRuntime(busyMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'murmur-webhook-bench-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'fixtures', 'webhook-runtime.ts'),
      home,
      String(busyMs),
      SECRET,
      ACCOUNT,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (b: Buffer) => resolve(String(b).trim()));
    child.once('exit', (code) => reject(new Error(`runtime exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function runOnce(label: string, busyMs: number, seconds: number): Promise<void> {
  // Signed up front: signing inside the load generator would measure the generator, which
  // shares this machine's two cores with the runtime.
  const signed = Array.from({ length: 120_000 }, (_, i) => {
    const body = mentionBody(i);
    return { body, signature: `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}` };
  });
  const runtime = await startRuntime(busyMs);
  let n = 0;
  const result = await autocannon({
    url: runtime.url,
    connections: 32,
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
  await runtime.stop();
  const ok = result['2xx'];
  console.log(
    `${label}: ${Math.round(ok / seconds)} deliveries/s acknowledged (${ok} in ${seconds} s, non-2xx ${result.non2xx}, errors ${result.errors}) | ` +
      `ack latency p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms max ${result.latency.max} ms`,
  );
}

export async function runWebhookBench(): Promise<void> {
  const seconds = Number(process.env.MURMUR_BENCH_SECONDS ?? 10);
  await runOnce('webhook, idle consumers', 0, seconds);
  await runOnce('webhook, a consumer busy 2 ms per message', 2, seconds);
}
