/** Exponential backoff with full jitter, bounded by maxMs (EventBridge backs off exponentially too). */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0..1: share of the delay that is random, so retries of a burst spread out. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, jitter: 0.2 };

/** Delay before attempt `attempts + 1`, after `attempts` failures (1-based). */
export function nextDelayMs(
  policy: BackoffPolicy,
  attempts: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const spread = exponential * policy.jitter;
  return Math.round(exponential - spread + random() * spread);
}
