// The polling ingress's half of the anti-corruption layer: a tweet from X API v2
// `GET /2/users/:id/mentions` becomes the same MESSAGE_RECEIVED, under the same idempotency key,
// as the webhook would give it, so a tweet seen by both paths is published once.
import {
  type Media,
  type MessageKind,
  type MessageReceivedDetail,
  SCHEMA_VERSION,
  SOURCES,
  validateDetail,
} from '@murmur/events';
import type { PublishEntry } from '@murmur/ports';
import { tweetKey } from './idempotency-keys.js';
import { capMedia, mediaFromV2 } from './media.js';
import { isOwnAccount, type TranslatedEvent } from './types.js';
import { asXId, isObject, isoToIso, objectAt, stringAt } from './x-values.js';

/** The v2 tweet fields read here (twitter-api-v2's `TweetV2` fits). */
export interface PolledTweet {
  id?: string;
  text?: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  in_reply_to_user_id?: string;
  lang?: string;
  referenced_tweets?: ReadonlyArray<{ type?: string; id?: string }>;
  attachments?: { media_keys?: readonly string[] };
  /** A post over 280 characters: `text` is cut, `note_tweet.text` is whole. */
  note_tweet?: { text?: string };
}

export interface PolledIncludes {
  users?: ReadonlyArray<{ id?: string; name?: string; username?: string }>;
  media?: ReadonlyArray<{
    media_key?: string;
    type?: string;
    url?: string;
    preview_image_url?: string;
    width?: number;
    height?: number;
    alt_text?: string;
  }>;
  /** Referenced tweets (`expansions=referenced_tweets.id`): says whose tweet a quote quotes. */
  tweets?: ReadonlyArray<{ id?: string; author_id?: string }>;
}

export interface PollContext {
  /** Id of this poll run; every event it yields carries it. */
  correlationId: string;
  /** The account whose mentions were polled. */
  accountId: string;
  /** Every account this Murmur acts for. */
  accountIds: ReadonlySet<string>;
}

export type PolledTweetTranslation =
  | { event: TranslatedEvent; notes: string[] }
  | { event: null; reason: string; notes: string[] };

function referenced(tweet: PolledTweet, type: string): string | undefined {
  const ref = tweet.referenced_tweets?.find((r) => isObject(r) && r.type === type);
  return asXId(ref?.id);
}

/** Same rules as the webhook's: a reply or quote of the account's own tweet; otherwise a mention. */
function kindOf(tweet: PolledTweet, includes: PolledIncludes | undefined, accountId: string): MessageKind {
  if (referenced(tweet, 'replied_to') && tweet.in_reply_to_user_id === accountId) return 'reply';
  const quoted = referenced(tweet, 'quoted');
  const quotedAuthor = quoted ? includes?.tweets?.find((t) => t?.id === quoted)?.author_id : undefined;
  if (quotedAuthor === accountId) return 'quote';
  // The mentions timeline returns only tweets that @-mention the account.
  return 'mention';
}

function mediaOf(
  tweet: PolledTweet,
  includes: PolledIncludes | undefined,
  note: (why: string) => void,
): Media[] {
  const media: Media[] = [];
  for (const key of tweet.attachments?.media_keys ?? []) {
    const object = includes?.media?.find((m) => m?.media_key === key);
    if (!object) {
      note(`media ${key} is not in includes.media (request expansions=attachments.media_keys)`);
      continue;
    }
    const item = mediaFromV2(object, note);
    if (item) media.push(item);
  }
  return capMedia(media, note);
}

export function messageFromPolledTweet(
  tweet: PolledTweet,
  includes: PolledIncludes | undefined,
  ctx: PollContext,
): PolledTweetTranslation {
  const notes: string[] = [];
  const skip = (reason: string): PolledTweetTranslation => ({ event: null, reason, notes });
  if (!isObject(tweet)) return skip('the tweet is not an object');
  const tweetId = asXId(tweet.id);
  const where = `polled tweet ${tweetId ?? '(no id)'}`;
  const note = (why: string) => notes.push(`${where}: ${why}`);
  if (!tweetId) return skip(`${where}: no id`);
  if (referenced(tweet, 'retweeted')) return skip(`${where}: a plain retweet`);
  const authorId = asXId(tweet.author_id);
  if (!authorId) return skip(`${where}: no author_id (request tweet.fields=author_id)`);
  const scope = { forUserId: ctx.accountId, accountIds: ctx.accountIds };
  if (isOwnAccount(scope, authorId)) return skip(`${where}: the account's own tweet (author ${authorId})`);
  const author = includes?.users?.find((u) => u?.id === authorId);
  const screenName = author?.username;
  if (!screenName)
    return skip(`${where}: author ${authorId} is not in includes.users (request expansions=author_id)`);
  const text = stringAt(objectAt(tweet, 'note_tweet'), 'text') ?? tweet.text;
  if (typeof text !== 'string') return skip(`${where}: no text`);
  const createdAt = isoToIso(tweet.created_at);
  if (!createdAt) return skip(`${where}: no readable created_at (request tweet.fields=created_at)`);

  const inReplyToTweetId = referenced(tweet, 'replied_to');
  const inReplyToUserId = asXId(tweet.in_reply_to_user_id);
  const quotedTweetId = referenced(tweet, 'quoted');
  const detail: MessageReceivedDetail = {
    schemaVersion: SCHEMA_VERSION,
    correlationId: ctx.correlationId,
    messageId: tweetId,
    accountId: ctx.accountId,
    kind: kindOf(tweet, includes, ctx.accountId),
    ingress: 'poll',
    tweetId,
    ...(inReplyToTweetId ? { inReplyToTweetId } : {}),
    ...(inReplyToUserId ? { inReplyToUserId } : {}),
    ...(quotedTweetId ? { quotedTweetId } : {}),
    text,
    ...(typeof tweet.lang === 'string' && tweet.lang ? { lang: tweet.lang } : {}),
    author: { id: authorId, screenName, name: typeof author.name === 'string' ? author.name : screenName },
    createdAt,
    media: mediaOf(tweet, includes, note),
  };
  const result = validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', detail);
  if (!result.ok) return skip(`${where}: ${result.error}`);
  const entry: PublishEntry<'MESSAGE_RECEIVED'> = {
    source: SOURCES.ingress,
    detailType: 'MESSAGE_RECEIVED',
    detail,
  };
  return { event: { entry: entry as PublishEntry, idempotencyKey: tweetKey(ctx.accountId, tweetId) }, notes };
}
