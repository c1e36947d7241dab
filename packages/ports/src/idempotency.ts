/** What `begin` found for a key. */
export type IdempotencyStatus = 'new' | 'in-progress' | 'completed';

export interface IdempotencyOptions {
  /** How long a completed key suppresses repeats (X redelivers for up to 5 minutes). */
  ttlSeconds: number;
  /** How long an unfinished claim blocks others; after it a crashed claim counts as new again. */
  inProgressSeconds: number;
}

/**
 * Idempotency records, as Powertools idempotency keeps them: claim with `begin`, then
 * `complete` once the work is durable or `release` when it failed (so a retry can redo it).
 * Locally SQLite; on AWS DynamoDB with a TTL.
 */
export interface IdempotencyPort {
  /** Claims every key at once; a key is yours only where the answer is `new`. */
  begin(keys: readonly string[], options: IdempotencyOptions): Promise<IdempotencyStatus[]>;
  complete(keys: readonly string[], options: IdempotencyOptions): Promise<void>;
  release(keys: readonly string[]): Promise<void>;
}
