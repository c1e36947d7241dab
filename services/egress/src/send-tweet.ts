// SEND_TWEET -> X (or the dry-run outbox), exactly once per source message. See docs/egress.md
// for the guarantees, the crash window and what each failure becomes.
import {
  type SendTweetDetail,
  SendTweetDetailSchema,
  SOURCES,
  type TweetFailedDetail,
  TweetFailedDetailSchema,
  type TweetSentDetail,
  TweetSentDetailSchema,
} from '@murmur/events';
import {
  type Handler,
  type HandlerContext,
  type IdempotencyOptions,
  type Logger,
  NonRetryableError,
  RetryLaterError,
  type RetryPolicy,
} from '@murmur/ports';
import { classifyFailure, type EgressFailure, WrongAccountError } from './failures.js';
import { loadReplyMedia } from './media.js';
import type { PostedReply, ReplyPoster } from './reply-poster.js';

export interface SendTweetOptions {
  /** Where replies go; asked on the first delivery (on AWS it reads the X secret). */
  poster: () => Promise<ReplyPoster>;
  /** The retry policy of the rule's target: the handler reports TWEET_FAILED on the last attempt. */
  retryPolicy: RetryPolicy;
  /**
   * How long a delivery's claim on a reply holds off others. Must exceed the longest a delivery
   * can run (the Lambda timeout on AWS), or a slow delivery could be overtaken.
   * @default DEFAULT_CLAIM_SECONDS
   */
  claimSeconds?: number;
  now?: () => number;
}

/** 3 minutes: the egress Lambda's timeout is 60 s, the embedded bus's delivery timeout 60 s. */
export const DEFAULT_CLAIM_SECONDS = 180;
/** A sent reply suppresses repeats of its SEND_TWEET for a month (replays included). */
export const SENT_TTL_SECONDS = 30 * 86_400;
/** "A call to X may have posted this": kept longer than any retry of it can last. */
export const ATTEMPT_MARKER_SECONDS = 7 * 86_400;
/** A delivery that finds another one sending the same reply looks again after 2 s, 4 s, 8 s... */
export const IN_PROGRESS_FIRST_WAIT_MS = 2000;
/** An earlier post is looked for from a little before SEND_TWEET's time: EventBridge's and X's clocks differ. */
export const LOOKUP_SLACK_MS = 5 * 60_000;

/** The SEND_TWEET does not match its schema: it can never be posted. */
export class InvalidSendTweetError extends NonRetryableError {
  override readonly name = 'InvalidSendTweetError';
}

/** Not posted this time; the bus (or queue) delivers it again, or dead-letters it after the last attempt. */
export class ReplyNotSentError extends Error {
  override readonly name = 'ReplyNotSentError';
}

/** Not posted, and retrying as is cannot help (credentials, a rate-limit reset beyond the retry policy). */
export class ReplyAbandonedError extends NonRetryableError {
  override readonly name = 'ReplyAbandonedError';
}

/** The idempotency keys of one reply: the exactly-once record, and the marker of a call to X. */
export function egressKeys(sourceMessageId: string): { send: string; attempt: string } {
  return { send: `egress:send:${sourceMessageId}`, attempt: `egress:attempt:${sourceMessageId}` };
}

/** Where the handler was when it failed: only a refusal of its own post proves nothing was posted. */
type Phase = 'account' | 'media' | 'lookup' | 'post';

export function sendTweetHandler(options: SendTweetOptions): Handler {
  const now = options.now ?? Date.now;
  const claimSeconds = options.claimSeconds ?? DEFAULT_CLAIM_SECONDS;
  if (!Number.isInteger(claimSeconds) || claimSeconds < 1) {
    throw new Error(`claimSeconds must be a whole number of seconds >= 1, got ${claimSeconds}`);
  }
  const sendOnce: IdempotencyOptions = { ttlSeconds: SENT_TTL_SECONDS, inProgressSeconds: claimSeconds };
  const marker: IdempotencyOptions = {
    ttlSeconds: ATTEMPT_MARKER_SECONDS,
    inProgressSeconds: ATTEMPT_MARKER_SECONDS,
  };

  return async (_input: unknown, ctx: HandlerContext): Promise<void> => {
    const detail = parseSendTweet(ctx.event.detail);
    const keys = egressKeys(detail.sourceMessageId);
    const log = ctx.log.child({
      sourceMessageId: detail.sourceMessageId,
      channel: detail.channel,
      correlationId: detail.correlationId,
      attempt: ctx.attempt,
    });

    const [claim] = await ctx.idempotency.begin([keys.send], sendOnce);
    if (claim === 'completed') {
      log.info('duplicate SEND_TWEET: this reply was already sent or settled; nothing posted');
      return;
    }
    if (claim === 'in-progress') {
      // Another delivery holds it: usually a duplicate that is about to finish (look again soon),
      // sometimes one that crashed (its claim lapses after claimSeconds; the waits grow past that).
      const retryAfterMs = Math.min(claimSeconds * 1000, IN_PROGRESS_FIRST_WAIT_MS * 2 ** (ctx.attempt - 1));
      throw new RetryLaterError(
        `another delivery is sending the reply to ${detail.sourceMessageId}`,
        retryAfterMs,
      );
    }

    let phase: Phase = 'account';
    let posted: PostedReply;
    let reconciled = false;
    try {
      const poster = await options.poster();
      const wrongAccount = await poster.checkAccount(detail.accountId);
      if (wrongAccount) throw new WrongAccountError(wrongAccount);
      phase = 'media';
      const media = await loadReplyMedia(ctx.blobs, detail);
      // Held from here until the reply is recorded: a later attempt that finds it held knows
      // an earlier one may have reached X, and looks before it posts.
      phase = 'lookup';
      const [mark] = await ctx.idempotency.begin([keys.attempt], marker);
      let found: PostedReply | undefined;
      if (mark !== 'new') {
        log.info('an earlier attempt may have reached X; looking for its post before posting');
        found = await poster.findExisting(detail, new Date(Date.parse(ctx.event.time) - LOOKUP_SLACK_MS));
      }
      if (found) {
        posted = found;
        reconciled = true;
      } else {
        phase = 'post';
        posted = await poster.post(detail, media);
      }
    } catch (error) {
      const failure = classifyFailure(error, now());
      // X answered this attempt's own post (or upload) with a 4xx: nothing was posted by it, and
      // the lookup before it found nothing earlier, so the marker can go.
      const notPosted = phase === 'post' && failure.kind !== 'transient';
      await settleFailure(failure, { ctx, detail, keys, log, notPosted });
      return;
    }

    try {
      await publishSent(ctx, detail, posted, now());
      await ctx.idempotency.complete([keys.send, keys.attempt], sendOnce);
    } catch (error) {
      // Posted but not recorded: the retry finds the post (the marker is held) and reports it.
      await releaseQuietly(ctx, [keys.send], log);
      throw error;
    }
    if (posted.dryRun) {
      log.info('dry run: reply written to the outbox (no X credentials)', {
        outboxPath: posted.outboxPath,
        text: detail.text,
      });
    } else {
      log.info(reconciled ? 'reply was already on X; reported it' : 'reply posted to X', {
        ...(posted.tweetId ? { tweetId: posted.tweetId } : {}),
        ...(posted.dmEventId ? { dmEventId: posted.dmEventId } : {}),
        mediaIds: posted.mediaIds ?? [],
      });
    }
  };

  /**
   * What a failure becomes (docs/egress.md): the reply's claim is released (so a retry, a
   * duplicate or a redrive can try again) except when X refused the reply itself, which settles
   * it; TWEET_FAILED when this is the end of the road; and the error that steers redelivery.
   */
  async function settleFailure(
    failure: EgressFailure,
    run: {
      ctx: HandlerContext;
      detail: SendTweetDetail;
      keys: { send: string; attempt: string };
      log: Logger;
      notPosted: boolean;
    },
  ): Promise<void> {
    const { ctx, detail, keys, log } = run;
    const last = ctx.attempt > options.retryPolicy.maximumRetryAttempts;
    const fields = { kind: failure.kind, statusCode: failure.statusCode, reason: failure.reason };
    if (run.notPosted) await releaseQuietly(ctx, [keys.attempt], log);

    if (failure.kind === 'refused') {
      try {
        await publishFailed(ctx, detail, failure, false);
        await ctx.idempotency.complete([keys.send], sendOnce);
      } catch (error) {
        await releaseQuietly(ctx, [keys.send], log);
        throw error;
      }
      log.warn('reply refused for good; reported as TWEET_FAILED', fields);
      return;
    }

    await releaseQuietly(ctx, [keys.send], log);
    if (failure.kind === 'credentials') {
      await publishFailed(ctx, detail, failure, false);
      log.error('reply not posted: the X credentials were refused; fix them, then redrive', fields);
      throw new ReplyAbandonedError(failure.reason);
    }
    if (failure.kind === 'rate-limited') {
      const resetAtMs = failure.resetAtMs ?? now();
      const retryAfterMs = Math.max(1000, resetAtMs - now() + 1000);
      const beyondPolicy = retryAfterMs > options.retryPolicy.maximumEventAgeInSeconds * 1000;
      if (!last && !beyondPolicy) {
        log.info('rate limited by X; the bus delivers it again after the reset', {
          ...fields,
          retryAfterMs,
        });
        throw new RetryLaterError(failure.reason, retryAfterMs);
      }
      await publishFailed(ctx, detail, failure, true, new Date(resetAtMs));
      log.error('reply not posted: still rate limited on the last attempt', fields);
      // Beyond the policy no retry could land in time: to the DLQ now rather than retry in vain.
      if (beyondPolicy) throw new ReplyAbandonedError(failure.reason);
      throw new ReplyNotSentError(failure.reason);
    }
    if (last) {
      await publishFailed(ctx, detail, failure, true);
      log.error('reply not posted after the last attempt; reported as TWEET_FAILED', fields);
    } else {
      log.warn('reply not posted; retried with backoff', fields);
    }
    throw new ReplyNotSentError(failure.reason);
  }
}

function parseSendTweet(detail: unknown): SendTweetDetail {
  const parsed = SendTweetDetailSchema.safeParse(detail);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidSendTweetError(
    `SEND_TWEET detail is invalid: ${issue?.path.join('.') || '(detail)'}: ${issue?.message}`,
  );
}

async function releaseQuietly(ctx: HandlerContext, keys: string[], log: Logger): Promise<void> {
  try {
    await ctx.idempotency.release(keys);
  } catch (error) {
    // The claim lapses by itself (claimSeconds); until then a retry is asked to wait.
    log.warn('could not release the idempotency claim', { keys, error: (error as Error).message });
  }
}

function identity(detail: SendTweetDetail) {
  return {
    schemaVersion: 1 as const,
    correlationId: detail.correlationId,
    accountId: detail.accountId,
    sourceMessageId: detail.sourceMessageId,
    channel: detail.channel,
  };
}

async function publishSent(
  ctx: HandlerContext,
  detail: SendTweetDetail,
  posted: PostedReply,
  at: number,
): Promise<void> {
  const conversationId = posted.conversationId ?? detail.conversationId;
  const sent: TweetSentDetail = TweetSentDetailSchema.parse({
    ...identity(detail),
    dryRun: posted.dryRun,
    ...(posted.tweetId ? { tweetId: posted.tweetId } : {}),
    ...(posted.dmEventId ? { dmEventId: posted.dmEventId } : {}),
    ...(detail.inReplyToTweetId ? { inReplyToTweetId: detail.inReplyToTweetId } : {}),
    ...(detail.channel === 'directMessage' && conversationId ? { conversationId } : {}),
    ...(posted.mediaIds && posted.mediaIds.length > 0 ? { mediaIds: posted.mediaIds } : {}),
    ...(posted.outboxPath ? { outboxPath: posted.outboxPath } : {}),
    sentAt: new Date(at).toISOString(),
  });
  await ctx.bus.publish({ source: SOURCES.egress, detailType: 'TWEET_SENT', detail: sent });
}

async function publishFailed(
  ctx: HandlerContext,
  detail: SendTweetDetail,
  failure: EgressFailure,
  retryable: boolean,
  retryAfter?: Date,
): Promise<void> {
  const failed: TweetFailedDetail = TweetFailedDetailSchema.parse({
    ...identity(detail),
    reason: failure.reason,
    retryable,
    ...(failure.statusCode !== undefined ? { statusCode: failure.statusCode } : {}),
    ...(failure.errorCode ? { errorCode: failure.errorCode } : {}),
    attempts: ctx.attempt,
    ...(retryAfter ? { retryAfter: retryAfter.toISOString() } : {}),
  });
  await ctx.bus.publish({ source: SOURCES.egress, detailType: 'TWEET_FAILED', detail: failed });
}
