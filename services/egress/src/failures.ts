// What went wrong on the way to X, in the four cases egress treats differently (docs/egress.md):
//  - rate-limited: X said 429; wait until its reset, then try again;
//  - transient: 5xx, network, timeouts, a store that failed; retry with backoff;
//  - credentials: 401 and X's authentication 403s; an operator must act, then redrive;
//  - refused: any other 4xx, or media that can never be posted; final.
import { describeXError } from '@murmur/x-client';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  type TwitterRateLimit,
} from 'twitter-api-v2';
import { MediaUnusableError } from './media.js';

export type FailureKind = 'rate-limited' | 'transient' | 'credentials' | 'refused';

export interface EgressFailure {
  kind: FailureKind;
  /** One line for TWEET_FAILED and the log: X's title and detail, never a request or a header. */
  reason: string;
  statusCode?: number;
  /** X's problem type (or title) when X gave one. */
  errorCode?: string;
  /** rate-limited: when the exhausted window resets, epoch ms. */
  resetAtMs?: number;
}

/** Credentials that cannot act for the SEND_TWEET's account (the poster said why). */
export class WrongAccountError extends Error {
  override readonly name = 'WrongAccountError';
}

/** X's 403 problem types that mean "these credentials may not do this", not "this reply is refused". */
const CREDENTIAL_PROBLEMS = new Set([
  'https://api.twitter.com/2/problems/unsupported-authentication',
  'https://api.twitter.com/2/problems/client-forbidden',
  'https://api.twitter.com/2/problems/oauth1-permissions',
]);

/** X's standard rate-limit window, for a 429 that came without its headers. */
const DEFAULT_WINDOW_MS = 15 * 60 * 1000;

/** TWEET_FAILED's `reason` holds at most 2000 characters. */
const MAX_REASON = 2000;

function clip(text: string): string {
  return text.length <= MAX_REASON ? text : `${text.slice(0, MAX_REASON - 1)}…`;
}

/**
 * When a 429 may be retried: the latest reset among the windows X reports as exhausted (the
 * 15-minute one, the user's 24-hour cap `x-user-limit-24hour-*`, the app's
 * `x-app-limit-24hour-*`). Past a 24-hour cap X answers 429 while the 15-minute window still has
 * room, so waiting for `x-rate-limit-reset` alone would only earn another 429.
 */
export function rateLimitResetMs(rateLimit: TwitterRateLimit | undefined, now: number): number {
  const windows = [rateLimit, rateLimit?.userDay, rateLimit?.day].filter(
    (w): w is NonNullable<typeof w> => w !== undefined && Number.isFinite(w.reset) && w.reset > 0,
  );
  const exhausted = windows.filter((w) => w.remaining === 0);
  const chosen = exhausted.length > 0 ? exhausted : windows.slice(0, 1);
  if (chosen.length === 0) return now + DEFAULT_WINDOW_MS;
  return Math.max(...chosen.map((w) => w.reset * 1000));
}

function problemCode(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { type, title } = data as { type?: unknown; title?: unknown };
  if (typeof type === 'string' && type !== '' && type !== 'about:blank') return type;
  return typeof title === 'string' && title !== '' ? title : undefined;
}

function which(rateLimit: TwitterRateLimit | undefined): string {
  if (rateLimit?.userDay?.remaining === 0) return "the account's 24-hour posting cap";
  if (rateLimit?.day?.remaining === 0) return "the app's 24-hour cap";
  return 'the rate limit';
}

/** Sorts any error thrown on the way to X into one of the four kinds. */
export function classifyFailure(error: unknown, now: number): EgressFailure {
  if (error instanceof MediaUnusableError) return { kind: 'refused', reason: clip(error.message) };
  if (error instanceof WrongAccountError) return { kind: 'credentials', reason: clip(error.message) };
  if (error instanceof ApiResponseError) {
    const statusCode = error.code;
    const errorCode = problemCode(error.data);
    const base = { statusCode, ...(errorCode ? { errorCode } : {}) };
    if (statusCode === 429) {
      const resetAtMs = rateLimitResetMs(error.rateLimit, now);
      return {
        ...base,
        kind: 'rate-limited',
        resetAtMs,
        reason: `X refused (HTTP 429): ${which(error.rateLimit)} is used up until ${new Date(resetAtMs).toISOString()}`,
      };
    }
    const reason = clip(describeXError(error) ?? `X refused (HTTP ${statusCode})`);
    if (statusCode >= 500 || statusCode === 408) return { ...base, kind: 'transient', reason };
    if (statusCode === 401 || (statusCode === 403 && errorCode && CREDENTIAL_PROBLEMS.has(errorCode))) {
      return { ...base, kind: 'credentials', reason };
    }
    return { ...base, kind: 'refused', reason };
  }
  if (error instanceof ApiRequestError || error instanceof ApiPartialResponseError) {
    return { kind: 'transient', reason: clip(describeXError(error) ?? error.message) };
  }
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'transient', reason: clip(reason) };
}
