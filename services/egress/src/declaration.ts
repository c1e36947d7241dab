// Egress: SEND_TWEET in; the reply posted to X (or written to the dry-run outbox) once per
// source message; TWEET_SENT or TWEET_FAILED out.
import { SOURCES } from '@murmur/events';
import { defineService, type RetryPolicy } from '@murmur/ports';
import type { ReplyPoster } from './reply-poster.js';
import { sendTweetHandler } from './send-tweet.js';

export const EGRESS_RULE_NAME = 'egress-send-tweet';
export const EGRESS_HANDLER = 'sendTweet';

/**
 * 9 attempts within a day. Locally the bus backs off from 1 s to 5 minutes (about 8 minutes in
 * all); on AWS a failed attempt comes back after the queue's visibility timeout. A 429 waits for
 * X's reset instead, which counts as an attempt too.
 */
export const EGRESS_RETRY_POLICY: RetryPolicy = { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 86_400 };

/** SEND_TWEET from responding; replays too (a reply already sent is recognised and skipped). */
export const EGRESS_EVENT_PATTERN = { source: [SOURCES.responding], 'detail-type': ['SEND_TWEET'] };

export interface EgressOptions {
  /** Where replies go (`replyPosterFromEnv` locally; the X secret on AWS), or how to get it on first use. */
  poster: ReplyPoster | (() => Promise<ReplyPoster>);
  /** See `SendTweetOptions.claimSeconds`. @default DEFAULT_CLAIM_SECONDS (180) */
  claimSeconds?: number;
  now?: () => number;
}

export function egressService(options: EgressOptions) {
  const { poster } = options;
  return defineService({
    name: 'egress',
    source: SOURCES.egress,
    description: 'Posts replies to X (or to the local dry-run outbox) exactly once per source message.',
    publishes: ['TWEET_SENT', 'TWEET_FAILED'],
    archives: [],
    subscriptions: [
      {
        ruleName: EGRESS_RULE_NAME,
        description: 'SEND_TWEET -> X, once per source message; TWEET_SENT or TWEET_FAILED',
        eventPattern: EGRESS_EVENT_PATTERN,
        targets: [
          {
            kind: 'handler',
            handler: EGRESS_HANDLER,
            // On AWS through an SQS queue, so a 429 can hold the event until X's reset.
            queued: true,
            retryPolicy: EGRESS_RETRY_POLICY,
          },
        ],
      },
    ],
    handlers: {
      [EGRESS_HANDLER]: sendTweetHandler({
        poster: typeof poster === 'function' ? poster : async () => poster,
        retryPolicy: EGRESS_RETRY_POLICY,
        ...(options.claimSeconds !== undefined ? { claimSeconds: options.claimSeconds } : {}),
        ...(options.now ? { now: options.now } : {}),
      }),
    },
  });
}
