import type { PolledIncludes, PolledTweet } from '../activity/index.js';

export interface MentionsPage {
  /** Newest first, as X returns them. */
  tweets: PolledTweet[];
  includes?: PolledIncludes;
  newestId?: string;
  nextToken?: string;
  /** From X's x-rate-limit-* headers. */
  rateLimit?: { remaining: number; resetAt: Date };
}

export interface MentionsQuery {
  sinceId?: string;
  paginationToken?: string;
  maxResults: number;
}

/** X said 429: nothing more until `resetAt`. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly resetAt: Date) {
    super(`rate limited until ${resetAt.toISOString()}`);
  }
}

/** Where the poller reads mentions from: X's `GET /2/users/:id/mentions` (or a test double). */
export interface MentionsSource {
  fetch(accountId: string, query: MentionsQuery): Promise<MentionsPage>;
}
