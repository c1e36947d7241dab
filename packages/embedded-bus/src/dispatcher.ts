import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@murmur/events';
import type { EmbeddedBus } from './bus.js';
import { DispatcherLock } from './dispatcher-lock.js';
import { DispatcherLockedError, NonRetryableError, RetryLaterError } from './errors.js';
import { deliverHttp } from './http-target.js';
import { applyInputTransformer } from './input-transformer.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, nextDelayMs } from './retry.js';
import type { BusTarget } from './rules.js';

export interface DeliveryContext {
  event: EventEnvelope;
  /** `event` as the JSON text it was stored as (saves a re-serialisation). */
  eventJson: string;
  ruleName: string;
  targetId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /**
   * Runs `write` (synchronous, on the bus database) in the same transaction that records this
   * delivery as done, so its effect happens exactly once even across crashes (e.g. counters).
   */
  onCommit(write: () => void): void;
}

/** An in-process target. Throwing means "retry"; see NonRetryableError and RetryLaterError. */
export type TargetFunction = (input: unknown, ctx: DeliveryContext) => Promise<void>;

export interface DeadLetterNotice {
  ruleName: string;
  targetId: string;
  eventId: string;
  attempts: number;
  error: string;
}

export interface DispatcherOptions {
  functions?: ReadonlyMap<string, TargetFunction>;
  /** Deliveries running at once. */
  concurrency?: number;
  /** How often to look for work published by other processes, or retries coming due. */
  pollMs?: number;
  backoff?: BackoffPolicy;
  /** A delivery that takes longer fails with a timeout (and is retried). */
  timeoutMs?: number;
  onDeadLetter?: (notice: DeadLetterNotice) => void;
  onWarning?: (message: string) => void;
}

interface Claimed {
  id: number;
  eventSeq: number;
  ruleName: string;
  targetId: string;
  attempts: number;
  createdMs: number;
  envelope: string;
}

type Outcome =
  | { kind: 'done'; item: Claimed; commits: (() => void)[] }
  | { kind: 'failed'; item: Claimed; error: string; retryable: boolean; retryAfterMs?: number };

// A delivery whose target this process cannot serve is looked at again after this long.
const PARK_MS = 30_000;

export class Dispatcher {
  private readonly functions: ReadonlyMap<string, TargetFunction>;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly timeoutMs: number;
  private running = false;
  private active = 0;
  private outcomes: Outcome[] = [];
  private flushScheduled = false;
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly warned = new Set<string>();
  private readonly lock: DispatcherLock;
  private readonly stmt;

  constructor(
    private readonly bus: EmbeddedBus,
    private readonly options: DispatcherOptions = {},
  ) {
    this.functions = options.functions ?? new Map();
    this.concurrency = options.concurrency ?? 64;
    this.pollMs = options.pollMs ?? 50;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    const db = bus.db;
    this.lock = new DispatcherLock(db, bus.now, randomUUID());
    this.stmt = {
      due: db.prepare<[number, number], Claimed>(
        `SELECT d.id, d.event_seq AS eventSeq, d.rule_name AS ruleName, d.target_id AS targetId,
                d.attempts, d.created_ms AS createdMs, e.envelope
         FROM deliveries d JOIN events e ON e.seq = d.event_seq
         WHERE d.in_flight = 0 AND d.next_ms <= ? ORDER BY d.next_ms, d.id LIMIT ?`,
      ),
      claim: db.prepare(`UPDATE deliveries SET in_flight = 1 WHERE id = ?`),
      park: db.prepare(`UPDATE deliveries SET next_ms = ? WHERE id = ?`),
      done: db.prepare(`DELETE FROM deliveries WHERE id = ?`),
      retry: db.prepare(
        `UPDATE deliveries SET in_flight = 0, attempts = ?, next_ms = ?, last_error = ? WHERE id = ?`,
      ),
      dead: db.prepare(
        `INSERT INTO dead_letters (event_seq, rule_name, target_id, attempts, error, failed_ms)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      recover: db.prepare(`UPDATE deliveries SET in_flight = 0 WHERE in_flight = 1`),
      remaining: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM deliveries`),
    };
  }

  /**
   * Takes the home's dispatcher lock, puts back deliveries a crashed run left in flight
   * (at-least-once: they are delivered again), and starts delivering.
   */
  start(): void {
    if (this.running) return;
    const holder = this.lock.acquire();
    if (holder) {
      throw new DispatcherLockedError(
        `another Murmur runtime (pid ${holder.pid} on ${holder.host}) is delivering for this MURMUR_HOME`,
      );
    }
    this.stmt.recover.run();
    this.running = true;
    this.unsubscribe = this.bus.onWork(() => this.poke());
    // Not unref'd: a running dispatcher is a live service and keeps its process up until stop().
    this.heartbeatTimer = setInterval(() => this.lock.heartbeat(), 5_000);
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets running deliveries finish and records their outcome. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loopDone;
    while (this.active > 0) await sleep(5);
    this.flush();
    clearInterval(this.heartbeatTimer);
    this.unsubscribe?.();
    this.lock.release();
  }

  /** Resolves when nothing is left to deliver (tests, benchmarks, `replay --wait`). */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.active === 0 && this.outcomes.length === 0 && (this.stmt.remaining.get()?.n ?? 0) === 0)
        return;
      if (Date.now() > deadline) throw new Error(`dispatcher not idle after ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const free = this.concurrency - this.active;
      const started = free > 0 ? this.claimAndRun(free) : 0;
      if (started === 0 || this.active >= this.concurrency) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, this.pollMs).unref();
        });
      }
      // Always let the event loop turn between claim rounds, also when woken: completions
      // flush, timers and I/O run. Handlers that finish without awaiting anything wake the
      // loop from microtasks, and it would claim again from there for as long as work lasts,
      // starving everything else on this thread.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private claimAndRun(limit: number): number {
    const now = this.bus.now();
    this.bus.refreshConfig();
    const claim = this.bus.db.transaction(() => {
      const runnable: { item: Claimed; target: BusTarget }[] = [];
      for (const item of this.stmt.due.all(now, limit)) {
        const target = this.findTarget(item.ruleName, item.targetId);
        if (!target) {
          // The rule or target was deleted: keep the event, in the DLQ, rather than drop it.
          this.stmt.dead.run(
            item.eventSeq,
            item.ruleName,
            item.targetId,
            item.attempts,
            'rule or target no longer exists',
            now,
          );
          this.stmt.done.run(item.id);
          continue;
        }
        if (target.type === 'function' && !this.functions.has(target.id)) {
          this.warnOnce(target.id, `no function "${target.id}" in this runtime; deliveries for it wait`);
          this.stmt.park.run(now + PARK_MS, item.id);
          continue;
        }
        this.stmt.claim.run(item.id);
        runnable.push({ item, target });
      }
      return runnable;
    });
    const runnable = claim.immediate();
    for (const { item, target } of runnable) {
      this.active++;
      void this.deliver(item, target).then((outcome) => {
        this.active--;
        this.outcomes.push(outcome);
        this.scheduleFlush();
        this.poke();
      });
    }
    return runnable.length;
  }

  /** The rule's target; reloads the rules once before concluding it is gone (another process may have just added it). */
  private findTarget(ruleName: string, targetId: string): BusTarget | undefined {
    const find = () => this.bus.getRule(ruleName)?.targets.find((t) => t.id === targetId);
    const target = find();
    if (target) return target;
    this.bus.refreshConfig(true);
    return find();
  }

  private async deliver(item: Claimed, target: BusTarget): Promise<Outcome> {
    try {
      const event = JSON.parse(item.envelope) as EventEnvelope;
      const input = target.inputTransformer
        ? applyInputTransformer(target.inputTransformer, event, {
            ruleName: item.ruleName,
            ruleArn: this.bus.ruleArn(item.ruleName),
            ingestionTime: new Date(item.createdMs).toISOString(),
          })
        : event;
      const commits: (() => void)[] = [];
      const ctx: DeliveryContext = {
        event,
        eventJson: item.envelope,
        ruleName: item.ruleName,
        targetId: target.id,
        attempt: item.attempts + 1,
        onCommit: (write) => commits.push(write),
      };
      if (target.type === 'http') {
        await withTimeout(deliverHttp(target.url, input, this.timeoutMs), this.timeoutMs);
      } else {
        await withTimeout(this.functions.get(target.id)!(input, ctx), this.timeoutMs);
      }
      return { kind: 'done', item, commits };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return {
        kind: 'failed',
        item,
        error: message,
        retryable: !(error instanceof NonRetryableError),
        ...(error instanceof RetryLaterError ? { retryAfterMs: error.retryAfterMs } : {}),
      };
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Records outcomes in one transaction: delete on success, reschedule or dead-letter on failure. */
  private flush(): void {
    if (this.outcomes.length === 0 || !this.bus.db.open) return;
    const outcomes = this.outcomes;
    this.outcomes = [];
    const now = this.bus.now();
    const dead: DeadLetterNotice[] = [];
    const tx = this.bus.db.transaction(() => {
      for (const outcome of outcomes) {
        const { item } = outcome;
        if (outcome.kind === 'done') {
          this.stmt.done.run(item.id);
          for (const write of outcome.commits) write();
          continue;
        }
        const attempts = item.attempts + 1;
        const policy = this.bus
          .getRule(item.ruleName)
          ?.targets.find((t) => t.id === item.targetId)?.retryPolicy;
        const delay = outcome.retryAfterMs ?? nextDelayMs(this.backoff, attempts);
        const ageAtRetryS = (now + delay - item.createdMs) / 1000;
        const exhausted =
          !outcome.retryable ||
          !policy ||
          attempts > policy.maximumRetryAttempts ||
          ageAtRetryS > policy.maximumEventAgeInSeconds;
        if (exhausted) {
          this.stmt.dead.run(item.eventSeq, item.ruleName, item.targetId, attempts, outcome.error, now);
          this.stmt.done.run(item.id);
          const event = JSON.parse(item.envelope) as EventEnvelope;
          dead.push({
            ruleName: item.ruleName,
            targetId: item.targetId,
            eventId: event.id,
            attempts,
            error: outcome.error,
          });
        } else {
          this.stmt.retry.run(attempts, now + delay, outcome.error, item.id);
        }
      }
    });
    tx.immediate();
    for (const notice of dead) this.options.onDeadLetter?.(notice);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.onWarning?.(message);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`target timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
