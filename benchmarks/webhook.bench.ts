// Signed webhook deliveries against a runtime on loopback (autocannon): deliveries/s and ack
// latency, with idle consumers and with a consumer that is busy on every message.
//
// How the load is made, so the figures mean what X would see: 32 keep-alive connections, one
// delivery per request and one request at a time per connection (X does not pipeline), every
// delivery a different tweet, signed up front. A short warm-up is not counted.
//
// Beside throughput it prints the CPU time per delivery of the runtime process and of the load
// generator: this machine's two cores are shared (with the load generator, and often with other
// work), so throughput moves with the neighbours while CPU per delivery mostly does not.
// MURMUR_BENCH_RUNS=n repeats each case and adds the best and the median.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const SECRET = 'bench-consumer-secret-0123456789';
const ACCOUNT = '1500000000000000001';
const CONNECTIONS = 32;
const WARM_UP_SECONDS = 2;

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

/** CPU time (user + system, µs) used so far by each thread of a process; empty where /proc is missing. */
function threadCpuMicros(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * (1e6 / 100)); // ticks of 1/100 s
    }
  } catch {
    // not Linux, or the thread just ended: no CPU figures
  }
  return threads;
}

/**
 * CPU µs per delivery: the whole runtime process, its main thread (dispatcher and consumers)
 * and its busiest other thread, which is the HTTP worker that acknowledges.
 */
function cpuPerDelivery(pid: number, before: Map<number, number>, after: Map<number, number>, n: number) {
  let total = 0;
  let worker = 0;
  for (const [tid, micros] of after) {
    const used = micros - (before.get(tid) ?? 0);
    total += used;
    if (tid !== pid) worker = Math.max(worker, used);
  }
  const main = (after.get(pid) ?? 0) - (before.get(pid) ?? 0);
  return { total: Math.round(total / n), main: Math.round(main / n), worker: Math.round(worker / n) };
}

async function startRuntime(
  busyMs: number,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
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
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

interface RunResult {
  perSecond: number;
  p50: number;
  p99: number;
  line: string;
}

type Signed = { body: string; signature: string }[];

function load(url: string, signed: Signed, next: { n: number }, connections: number, seconds: number) {
  return autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { body, signature } = signed[next.n++ % signed.length]!;
          return {
            ...request,
            body,
            headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature },
          };
        },
      },
    ],
  });
}

async function runOnce(busyMs: number, seconds: number, signed: Signed): Promise<RunResult> {
  const runtime = await startRuntime(busyMs);
  const next = { n: 0 };
  await load(runtime.url, signed, next, 8, WARM_UP_SECONDS);
  const runtimeBefore = threadCpuMicros(runtime.pid);
  const benchBefore = process.cpuUsage();
  const result = await load(runtime.url, signed, next, CONNECTIONS, seconds);
  const runtimeAfter = threadCpuMicros(runtime.pid);
  const bench = process.cpuUsage(benchBefore);
  await runtime.stop();
  const ok = result['2xx'];
  const used = cpuPerDelivery(runtime.pid, runtimeBefore, runtimeAfter, ok);
  const cpu =
    runtimeAfter.size > 0
      ? ` | CPU per delivery: runtime ${used.total} µs (HTTP worker ${used.worker} µs, main thread ${used.main} µs), ` +
        `load generator ${Math.round((bench.user + bench.system) / ok)} µs`
      : '';
  const perSecond = Math.round(ok / seconds);
  return {
    perSecond,
    p50: result.latency.p50,
    p99: result.latency.p99,
    line:
      `${perSecond} deliveries/s acknowledged (${ok} in ${seconds} s, non-2xx ${result.non2xx}, errors ${result.errors}) | ` +
      `ack latency p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms max ${result.latency.max} ms${cpu}`,
  };
}

async function runCase(label: string, busyMs: number, seconds: number, runs: number, signed: Signed) {
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await runOnce(busyMs, seconds, signed);
    results.push(result);
    console.log(`${label}${runs > 1 ? ` (run ${i + 1}/${runs})` : ''}: ${result.line}`);
  }
  if (runs > 1) {
    const byRate = [...results].sort((a, b) => b.perSecond - a.perSecond);
    const median = byRate[Math.floor(runs / 2)]!;
    const best = byRate[0]!;
    console.log(
      `${label}: best ${best.perSecond}/s (p50 ${best.p50} ms, p99 ${best.p99} ms), ` +
        `median ${median.perSecond}/s (p50 ${median.p50} ms, p99 ${median.p99} ms) over ${runs} runs`,
    );
  }
}

export async function runWebhookBench(): Promise<void> {
  const seconds = Number(process.env.MURMUR_BENCH_SECONDS ?? 10);
  const runs = Number(process.env.MURMUR_BENCH_RUNS ?? 1);
  // Signed up front: signing inside the load generator would measure the generator, which
  // shares this machine's two cores with the runtime.
  const signed = Array.from({ length: 120_000 }, (_, i) => {
    const body = mentionBody(i);
    return { body, signature: `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}` };
  });
  await runCase('webhook, idle consumers', 0, seconds, runs, signed);
  await runCase('webhook, a consumer busy 2 ms per message', 2, seconds, runs, signed);
}
