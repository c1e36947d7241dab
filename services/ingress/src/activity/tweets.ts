// `tweet_create_events`: every tweet by or to the account becomes TWITTER_TWEETED; the ones
// addressed to it (mention, reply, quote) also become MESSAGE_RECEIVED.
import { type Media, type MessageKind, SCHEMA_VERSION } from '@murmur/events';
import { contentHash, tweetKey } from './idempotency-keys.js';
import { capMedia, mediaFromV1, v1MediaEntities } from './media.js';
import { type Candidate, type DeliveryScope, isOwnAccount } from './types.js';
import { arrayAt, isObject, millisToIso, objectAt, stringAt, v1DateToIso, xIdAt } from './x-values.js';

const PAYLOAD_KEY = 'tweet_create_events';

export function translateTweet(element: unknown, index: number, scope: DeliveryScope): Candidate[] {
  const tweetId = xIdAt(element, 'id_str');
  const where = `${PAYLOAD_KEY}[${index}]${tweetId ? ` (tweet ${tweetId})` : ''}`;
  // Without id_str the raw event is still kept; its key is the content's hash so a redelivery still matches.
  const idempotencyKey = tweetId
    ? tweetKey(scope.forUserId, tweetId)
    : `tweet:${scope.forUserId}:h:${contentHash(element)}`;
  const raw: Candidate = {
    detailType: 'TWITTER_TWEETED',
    idempotencyKey,
    detail: {
      schemaVersion: SCHEMA_VERSION,
      correlationId: scope.correlationId,
      forUserId: scope.forUserId,
      ...(tweetId ? { eventId: tweetId } : {}),
      payloadKey: PAYLOAD_KEY,
      payload: element,
      ...(scope.envelope.userHasBlocked !== undefined
        ? { userHasBlocked: scope.envelope.userHasBlocked }
        : {}),
      ...(scope.envelope.isBlockedBy !== undefined ? { isBlockedBy: scope.envelope.isBlockedBy } : {}),
    },
  };
  const message = messageFromTweet(element, scope, (why) => scope.note(`${where}: ${why}`));
  if (typeof message === 'string') {
    scope.note(`${where}: no MESSAGE_RECEIVED: ${message}`);
    return [raw];
  }
  return [raw, { detailType: 'MESSAGE_RECEIVED', idempotencyKey, detail: message }];
}

/** Ids of every account the tweet @-mentions; a truncated tweet lists the later ones only in `extended_tweet`. */
function mentionedIds(tweet: unknown): Set<string> {
  const lists = [
    arrayAt(objectAt(objectAt(tweet, 'extended_tweet'), 'entities'), 'user_mentions'),
    arrayAt(objectAt(tweet, 'entities'), 'user_mentions'),
  ];
  const ids = new Set<string>();
  for (const mention of lists.flatMap((l) => l ?? [])) {
    const id = xIdAt(mention, 'id_str');
    if (id) ids.add(id);
  }
  return ids;
}

/** The full text: `extended_tweet.full_text` when X truncated `text`, else `full_text` (extended mode), else `text`. */
function fullText(tweet: unknown): string | undefined {
  return (
    stringAt(objectAt(tweet, 'extended_tweet'), 'full_text') ??
    stringAt(tweet, 'full_text') ??
    stringAt(tweet, 'text')
  );
}

/**
 * Why the tweet is addressed to the account, or why it is not. A reply or quote counts only
 * when the tweet replied to or quoted is the account's; anything else that names it is a mention.
 */
function kindOf(tweet: Record<string, unknown>, forUserId: string): MessageKind | string {
  if (xIdAt(tweet, 'in_reply_to_user_id_str') === forUserId && xIdAt(tweet, 'in_reply_to_status_id_str')) {
    return 'reply';
  }
  const quotedAuthor = xIdAt(objectAt(objectAt(tweet, 'quoted_status'), 'user'), 'id_str');
  if (tweet.is_quote_status === true && quotedAuthor === forUserId) return 'quote';
  if (mentionedIds(tweet).has(forUserId)) return 'mention';
  return 'not addressed to the account (no reply to it, quote of it or mention of it)';
}

/**
 * MESSAGE_RECEIVED's detail for a v1.1 tweet, or the reason there is none. Never for the
 * account's own tweets (nor another account Murmur runs: bots answering each other loop) and
 * never for plain retweets, which carry someone else's words.
 */
export function messageFromTweet(
  tweet: unknown,
  scope: Pick<DeliveryScope, 'forUserId' | 'correlationId' | 'accountIds' | 'ingress'>,
  note: (why: string) => void,
): Record<string, unknown> | string {
  if (!isObject(tweet)) return 'the tweet is not an object';
  if (tweet.retweeted_status !== undefined && tweet.retweeted_status !== null) return 'a plain retweet';
  if (!scope.accountIds.has(scope.forUserId))
    return `for_user_id ${scope.forUserId} is not a configured account`;
  const tweetId = xIdAt(tweet, 'id_str');
  if (!tweetId) return 'the tweet has no id_str';
  const user = objectAt(tweet, 'user');
  const authorId = xIdAt(user, 'id_str');
  if (!authorId) return 'the tweet has no user.id_str (its author is unknown)';
  if (isOwnAccount(scope, authorId)) return `the account's own tweet (author ${authorId})`;
  const screenName = stringAt(user, 'screen_name');
  if (!screenName) return 'the tweet has no user.screen_name';
  const text = fullText(tweet);
  if (text === undefined) return 'the tweet has no text';
  // created_at first: it has whole seconds, as v2's created_at, so both ingresses agree.
  const createdAt = v1DateToIso(tweet.created_at) ?? millisToIso(tweet.timestamp_ms);
  if (!createdAt) return 'the tweet has no readable created_at or timestamp_ms';
  const kind = kindOf(tweet, scope.forUserId);
  if (kind !== 'mention' && kind !== 'reply' && kind !== 'quote') return kind;

  const media: Media[] = [];
  for (const entity of v1MediaEntities(tweet)) {
    const item = mediaFromV1(entity, note);
    if (item) media.push(item);
  }
  const inReplyToTweetId = xIdAt(tweet, 'in_reply_to_status_id_str');
  const inReplyToUserId = xIdAt(tweet, 'in_reply_to_user_id_str');
  const quotedTweetId =
    xIdAt(tweet, 'quoted_status_id_str') ?? xIdAt(objectAt(tweet, 'quoted_status'), 'id_str');
  const lang = stringAt(tweet, 'lang');
  return {
    schemaVersion: SCHEMA_VERSION,
    correlationId: scope.correlationId,
    messageId: tweetId,
    accountId: scope.forUserId,
    kind,
    ingress: scope.ingress,
    tweetId,
    ...(inReplyToTweetId ? { inReplyToTweetId } : {}),
    ...(inReplyToUserId ? { inReplyToUserId } : {}),
    ...(quotedTweetId ? { quotedTweetId } : {}),
    text,
    ...(lang ? { lang } : {}),
    author: { id: authorId, screenName, name: stringAt(user, 'name') ?? screenName },
    createdAt,
    media: capMedia(media, note),
  };
}
