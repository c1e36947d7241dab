/**
 * Per-endpoint rate limits with X's headers. Buckets are per endpoint and per principal
 * (user id, or the app for app-only tokens), as X counts user-context limits per user.
 * Windows are fixed, starting at a bucket's first request, which is how X reports
 * `x-rate-limit-reset`.
 */

export const ENDPOINT_NAMES = [
  'users.me',
  'users.lookup',
  'users.byUsername',
  'users.mentions',
  'users.followers',
  'users.tweets',
  'tweets.create',
  'tweets.lookup',
  'tweets.delete',
  'media.upload.initialize',
  'media.upload.append',
  'media.upload.finalize',
  'media.upload',
  'media.upload.status',
  'media.metadata',
  'dm.send',
  'dm.events',
  'webhooks.create',
  'webhooks.list',
  'webhooks.validate',
  'webhooks.delete',
  'aaa.subscribe',
  'aaa.check',
  'aaa.list',
  'aaa.unsubscribe',
  'aaa.count',
  'aaa.replay',
] as const;

export type EndpointName = (typeof ENDPOINT_NAMES)[number];

export interface RateLimitConfig {
  limit: number;
  windowSeconds: number;
}

const FIFTEEN_MINUTES = 15 * 60;

/**
 * X's published per-user limits (15-minute windows unless noted), rounded where X's tiers
 * differ. Tests override them with small values.
 */
export const DEFAULT_RATE_LIMITS: Record<EndpointName, RateLimitConfig> = {
  'users.me': { limit: 75, windowSeconds: FIFTEEN_MINUTES },
  'users.lookup': { limit: 900, windowSeconds: FIFTEEN_MINUTES },
  'users.byUsername': { limit: 900, windowSeconds: FIFTEEN_MINUTES },
  'users.mentions': { limit: 300, windowSeconds: FIFTEEN_MINUTES },
  'users.followers': { limit: 15, windowSeconds: FIFTEEN_MINUTES },
  'users.tweets': { limit: 900, windowSeconds: FIFTEEN_MINUTES },
  'tweets.create': { limit: 100, windowSeconds: FIFTEEN_MINUTES },
  'tweets.lookup': { limit: 900, windowSeconds: FIFTEEN_MINUTES },
  'tweets.delete': { limit: 50, windowSeconds: FIFTEEN_MINUTES },
  'media.upload.initialize': { limit: 180, windowSeconds: FIFTEEN_MINUTES },
  'media.upload.append': { limit: 1000, windowSeconds: FIFTEEN_MINUTES },
  'media.upload.finalize': { limit: 180, windowSeconds: FIFTEEN_MINUTES },
  'media.upload': { limit: 500, windowSeconds: FIFTEEN_MINUTES },
  'media.upload.status': { limit: 1000, windowSeconds: FIFTEEN_MINUTES },
  'media.metadata': { limit: 500, windowSeconds: FIFTEEN_MINUTES },
  'dm.send': { limit: 15, windowSeconds: FIFTEEN_MINUTES },
  'dm.events': { limit: 15, windowSeconds: FIFTEEN_MINUTES },
  'webhooks.create': { limit: 15, windowSeconds: FIFTEEN_MINUTES },
  'webhooks.list': { limit: 15, windowSeconds: FIFTEEN_MINUTES },
  'webhooks.validate': { limit: 15, windowSeconds: FIFTEEN_MINUTES },
  'webhooks.delete': { limit: 15, windowSeconds: FIFTEEN_MINUTES },
  'aaa.subscribe': { limit: 500, windowSeconds: FIFTEEN_MINUTES },
  'aaa.check': { limit: 500, windowSeconds: FIFTEEN_MINUTES },
  'aaa.list': { limit: 50, windowSeconds: FIFTEEN_MINUTES },
  'aaa.unsubscribe': { limit: 500, windowSeconds: FIFTEEN_MINUTES },
  'aaa.count': { limit: 500, windowSeconds: FIFTEEN_MINUTES },
  'aaa.replay': { limit: 5, windowSeconds: FIFTEEN_MINUTES },
};

export interface RateLimitStatus {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds, as X sends it. */
  reset: number;
}

interface Bucket {
  windowStart: number;
  used: number;
}

export class RateLimiter {
  private readonly configs: Record<EndpointName, RateLimitConfig>;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    overrides: Partial<Record<EndpointName, RateLimitConfig>>,
    private readonly now: () => number,
  ) {
    this.configs = { ...DEFAULT_RATE_LIMITS, ...overrides };
  }

  configure(endpoint: EndpointName, config: RateLimitConfig): void {
    this.configs[endpoint] = config;
    this.resetEndpoint(endpoint);
  }

  config(endpoint: EndpointName): RateLimitConfig {
    return this.configs[endpoint];
  }

  /** Counts one request and says whether it is inside the limit. */
  take(endpoint: EndpointName, principal: string): RateLimitStatus {
    const bucket = this.bucket(endpoint, principal);
    const { limit } = this.configs[endpoint];
    const allowed = bucket.used < limit;
    if (allowed) bucket.used += 1;
    return this.status(endpoint, bucket, allowed);
  }

  /** The headers' values without counting a request (for forced failures). */
  peek(endpoint: EndpointName, principal: string): RateLimitStatus {
    return this.status(endpoint, this.bucket(endpoint, principal), true);
  }

  reset(): void {
    this.buckets.clear();
  }

  private resetEndpoint(endpoint: EndpointName): void {
    for (const key of [...this.buckets.keys()]) {
      if (key.startsWith(`${endpoint}|`)) this.buckets.delete(key);
    }
  }

  private bucket(endpoint: EndpointName, principal: string): Bucket {
    const key = `${endpoint}|${principal}`;
    const now = this.now();
    const windowMs = this.configs[endpoint].windowSeconds * 1000;
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.windowStart + windowMs) {
      bucket = { windowStart: now, used: 0 };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private status(endpoint: EndpointName, bucket: Bucket, allowed: boolean): RateLimitStatus {
    const { limit, windowSeconds } = this.configs[endpoint];
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - bucket.used),
      reset: Math.ceil((bucket.windowStart + windowSeconds * 1000) / 1000),
    };
  }
}

/** Forced failures for resilience tests: the next `count` calls of an endpoint answer `status`. */
export class FailureQueue {
  private readonly pending = new Map<EndpointName, { status: number; remaining: number; body?: unknown }[]>();

  push(endpoint: EndpointName, status: number, count: number, body?: unknown): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNext count must be >= 1, got ${count}`);
    if (!Number.isInteger(status) || status < 100 || status > 599)
      throw new Error(`invalid status ${status}`);
    const queue = this.pending.get(endpoint) ?? [];
    queue.push({ status, remaining: count, body });
    this.pending.set(endpoint, queue);
  }

  take(endpoint: EndpointName): { status: number; body?: unknown } | undefined {
    const queue = this.pending.get(endpoint);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) queue.shift();
    return { status: head.status, body: head.body };
  }

  clear(): void {
    this.pending.clear();
  }
}

const ONE_DAY_SECONDS = 24 * 3600;

/**
 * X's 24-hour caps per user on some endpoints (`POST /2/tweets`: 17 a day on Free, 100 on
 * Basic), reported in `x-user-limit-24hour-limit|remaining|reset` beside the 15-minute headers.
 * Past the cap X answers 429 although `x-rate-limit-remaining` may still be above 0: the reset
 * to wait for is `x-user-limit-24hour-reset`. Off unless a test sets a cap.
 */
export class DailyUserLimiter {
  private readonly limits = new Map<EndpointName, number>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    caps: Partial<Record<EndpointName, number>>,
    private readonly now: () => number,
  ) {
    for (const [endpoint, limit] of Object.entries(caps)) this.configure(endpoint as EndpointName, limit);
  }

  /** `undefined` removes the cap. */
  configure(endpoint: EndpointName, limit: number | undefined): void {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new Error(`a 24-hour cap must be a whole number >= 0, got ${limit}`);
    }
    if (limit === undefined) this.limits.delete(endpoint);
    else this.limits.set(endpoint, limit);
    for (const key of [...this.buckets.keys()]) {
      if (key.startsWith(`${endpoint}|`)) this.buckets.delete(key);
    }
  }

  reset(): void {
    this.buckets.clear();
  }

  /** Counts one request against the user's cap; undefined when the endpoint has none. */
  take(endpoint: EndpointName, principal: string): RateLimitStatus | undefined {
    const limit = this.limits.get(endpoint);
    if (limit === undefined) return undefined;
    const key = `${endpoint}|${principal}`;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.windowStart + ONE_DAY_SECONDS * 1000) {
      bucket = { windowStart: now, used: 0 };
      this.buckets.set(key, bucket);
    }
    const allowed = bucket.used < limit;
    if (allowed) bucket.used += 1;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - bucket.used),
      reset: Math.ceil((bucket.windowStart + ONE_DAY_SECONDS * 1000) / 1000),
    };
  }
}
