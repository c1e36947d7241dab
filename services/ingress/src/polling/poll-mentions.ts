import { randomUUID } from 'node:crypto';
import type { ScheduleHandler } from '@murmur/ports';
import { messageFromPolledTweet, type TranslatedEvent } from '../activity/index.js';
import { publishOnce } from '../publish-once.js';
import { type MentionsPage, type MentionsSource, RateLimitedError } from './mentions-source.js';

export interface PollMentionsOptions {
  accountIds: readonly string[];
  source: MentionsSource;
  /** Publish the mentions already there at the first poll; by default polling starts from now. */
  backfill?: boolean;
  /** Pages read per run at most (100 mentions each); the rest waits for the next run. */
  maxPages?: number;
}

const sinceKey = (account: string) => `ingress.mentions.${account}.sinceId`;
const notBeforeKey = (account: string) => `ingress.mentions.${account}.notBefore`;

/**
 * The polling ingress for accounts without Account Activity access: mentions since the stored
 * checkpoint become the same MESSAGE_RECEIVED events the webhook publishes (same idempotency
 * keys, so a tweet seen by both is published once). X's rate-limit headers are obeyed: with
 * none left, or after a 429, the account is not polled again before the reset.
 */
export function pollMentions(options: PollMentionsOptions): ScheduleHandler {
  const accountIds = new Set(options.accountIds);
  const maxPages = options.maxPages ?? 5;
  return async (ctx) => {
    for (const accountId of options.accountIds) {
      const notBefore = Number((await ctx.checkpoints.get(notBeforeKey(accountId))) ?? 0);
      if (ctx.now.getTime() < notBefore) {
        ctx.log.debug('mentions poll skipped: rate limited', {
          accountId,
          until: new Date(notBefore).toISOString(),
        });
        continue;
      }
      try {
        await pollAccount(accountId);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        await ctx.checkpoints.put(notBeforeKey(accountId), String(error.resetAt.getTime()));
        ctx.log.warn('X rate limit reached; mentions poll waits for the reset', {
          accountId,
          until: error.resetAt.toISOString(),
        });
      }
    }

    async function pollAccount(accountId: string): Promise<void> {
      const sinceId = await ctx.checkpoints.get(sinceKey(accountId));
      if (!sinceId && !options.backfill) {
        // First poll: remember where "now" is; answering old mentions would surprise people.
        const page = await options.source.fetch(accountId, { maxResults: 5 });
        if (page.newestId) await ctx.checkpoints.put(sinceKey(accountId), page.newestId);
        await respectRateLimit(accountId, page);
        ctx.log.info('mentions polling starts from now', { accountId, sinceId: page.newestId ?? null });
        return;
      }
      const correlationId = `poll-${randomUUID()}`;
      const events: TranslatedEvent[] = [];
      let newestId: string | undefined;
      let paginationToken: string | undefined;
      for (let pageNumber = 0; pageNumber < maxPages; pageNumber++) {
        const page = await options.source.fetch(accountId, {
          maxResults: 100,
          ...(sinceId ? { sinceId } : {}),
          ...(paginationToken ? { paginationToken } : {}),
        });
        newestId ??= page.newestId;
        for (const tweet of page.tweets) {
          const translated = messageFromPolledTweet(tweet, page.includes, {
            correlationId,
            accountId,
            accountIds,
          });
          if (translated.event) events.push(translated.event);
          else
            ctx.log.debug('polled mention not for the bot', { tweetId: tweet.id, reason: translated.reason });
        }
        await respectRateLimit(accountId, page);
        paginationToken = page.nextToken;
        if (!paginationToken) break;
      }
      // Oldest first, as they happened.
      const result = await publishOnce(events.reverse(), ctx);
      if (newestId) await ctx.checkpoints.put(sinceKey(accountId), newestId);
      ctx.log.info('mentions polled', { accountId, correlationId, ...result });
    }

    async function respectRateLimit(accountId: string, page: MentionsPage): Promise<void> {
      if (page.rateLimit && page.rateLimit.remaining <= 0) {
        await ctx.checkpoints.put(notBeforeKey(accountId), String(page.rateLimit.resetAt.getTime()));
      }
    }
  };
}
