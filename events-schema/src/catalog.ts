// The catalog: (source, detail-type) -> detail schema. The bus validates every publish against it.
import type { z } from 'zod';
import { AlertRaisedDetailSchema } from './alerting.js';
import { SCHEMA_VERSION } from './common.js';
import { SendTweetDetailSchema, TweetFailedDetailSchema, TweetSentDetailSchema } from './egress.js';
import {
  MessageAnalysedDetailSchema,
  MessageAnalysisFailedDetailSchema,
  MessageReceivedDetailSchema,
} from './messages.js';
import { SOURCES } from './sources.js';
import {
  TwitterBlockedDetailSchema,
  TwitterDeletedDetailSchema,
  TwitterDmMarkedReadDetailSchema,
  TwitterDmReceivedDetailSchema,
  TwitterDmTypingDetailSchema,
  TwitterFavouritedDetailSchema,
  TwitterFollowedDetailSchema,
  TwitterMutedDetailSchema,
  TwitterPermissionRevokedDetailSchema,
  TwitterTweetedDetailSchema,
  TwitterUnblockedDetailSchema,
  TwitterUnfollowedDetailSchema,
  TwitterUnknownDetailSchema,
  TwitterUnmutedDetailSchema,
} from './twitter.js';

const ingress = SOURCES.ingress;

// Typed as data so DetailType and DetailOf follow from it; order is the docs' order.
const definitions = {
  TWITTER_TWEETED: {
    source: ingress,
    schema: TwitterTweetedDetailSchema,
    description:
      'A tweet by or to the account (tweet, reply, mention, quote, retweet): one element of `tweet_create_events`.',
  },
  TWITTER_FAVOURITED: {
    source: ingress,
    schema: TwitterFavouritedDetailSchema,
    description: 'A like by or of the account: one element of `favorite_events`.',
  },
  TWITTER_FOLLOWED: {
    source: ingress,
    schema: TwitterFollowedDetailSchema,
    description: 'A follow by or of the account: `follow_events` with `type: "follow"`.',
  },
  TWITTER_UNFOLLOWED: {
    source: ingress,
    schema: TwitterUnfollowedDetailSchema,
    description: 'An unfollow: `follow_events` with `type: "unfollow"`.',
  },
  TWITTER_BLOCKED: {
    source: ingress,
    schema: TwitterBlockedDetailSchema,
    description: 'A block by the account: `block_events` with `type: "block"`.',
  },
  TWITTER_UNBLOCKED: {
    source: ingress,
    schema: TwitterUnblockedDetailSchema,
    description: 'An unblock by the account: `block_events` with `type: "unblock"`.',
  },
  TWITTER_MUTED: {
    source: ingress,
    schema: TwitterMutedDetailSchema,
    description: 'A mute by the account: `mute_events` with `type: "mute"`.',
  },
  TWITTER_UNMUTED: {
    source: ingress,
    schema: TwitterUnmutedDetailSchema,
    description: 'An unmute by the account: `mute_events` with `type: "unmute"`.',
  },
  TWITTER_PERMISSION_REVOKED: {
    source: ingress,
    schema: TwitterPermissionRevokedDetailSchema,
    description: "The account revoked the app's access (`user_event.revoke`); its subscription is gone.",
  },
  TWITTER_DM_RECEIVED: {
    source: ingress,
    schema: TwitterDmReceivedDetailSchema,
    description:
      'A DM sent or received by the account: one element of `direct_message_events`, with the `users` map.',
  },
  TWITTER_DM_TYPING: {
    source: ingress,
    schema: TwitterDmTypingDetailSchema,
    description: 'Someone is typing a DM to the account (`direct_message_indicate_typing_events`).',
  },
  TWITTER_DM_MARKED_READ: {
    source: ingress,
    schema: TwitterDmMarkedReadDetailSchema,
    description: 'A DM of the account was read (`direct_message_mark_read_events`).',
  },
  TWITTER_DELETED: {
    source: ingress,
    schema: TwitterDeletedDetailSchema,
    description: 'A tweet was deleted (`tweet_delete_events`): forget it to stay compliant.',
  },
  TWITTER_UNKNOWN: {
    source: ingress,
    schema: TwitterUnknownDetailSchema,
    description: 'A payload key Murmur does not know yet, kept as sent: never dropped, never a crash.',
  },
  MESSAGE_RECEIVED: {
    source: SOURCES.ingress,
    schema: MessageReceivedDetailSchema,
    description:
      'A message the bot should consider: a mention, reply or quote addressed to the account, or a DM to it. ' +
      "Never the account's own (author.id is never accountId), never a plain retweet. From the webhook or polling.",
  },
  MESSAGE_ANALYSED: {
    source: SOURCES.analysis,
    schema: MessageAnalysedDetailSchema,
    description:
      "The message with its text and image analysis (Comprehend/Rekognition shapes). Keeps the reference design's " +
      'fields (`text`, `author`, `twitter`, `analysis.textSentiment`, `analysis.images[].analysis.labels`, ...).',
  },
  MESSAGE_ANALYSIS_FAILED: {
    source: SOURCES.analysis,
    schema: MessageAnalysisFailedDetailSchema,
    description:
      'Analysis of a message failed as a whole (partial failures are `errors` in MESSAGE_ANALYSED).',
  },
  ALERT_RAISED: {
    source: SOURCES.alerting,
    schema: AlertRaisedDetailSchema,
    description:
      'An alert condition (e.g. NEGATIVE sentiment, toxicity, a watched author) matched a message.',
  },
  SEND_TWEET: {
    source: SOURCES.responding,
    schema: SendTweetDetailSchema,
    description: 'A reply to post: a tweet in reply, or a DM, optionally with an image from the media store.',
  },
  TWEET_SENT: {
    source: SOURCES.egress,
    schema: TweetSentDetailSchema,
    description: 'Egress posted the reply (or wrote it to the local outbox in dry-run mode).',
  },
  TWEET_FAILED: {
    source: SOURCES.egress,
    schema: TweetFailedDetailSchema,
    description: 'Egress gave up on a reply, with the reason and whether a later retry could succeed.',
  },
} as const;

type Definitions = typeof definitions;

/** Every detail-type in the catalog. */
export type DetailType = keyof Definitions;

/** The detail of one detail-type, as producers build it and consumers read it. */
export type DetailOf<T extends DetailType> = z.infer<Definitions[T]['schema']>;

/** The source that publishes a detail-type. */
export type SourceOf<T extends DetailType> = Definitions[T]['source'];

export interface CatalogEntry {
  source: string;
  detailType: DetailType;
  schemaVersion: number;
  description: string;
  schema: z.ZodType;
}

export const catalog: readonly CatalogEntry[] = Object.freeze(
  (Object.keys(definitions) as DetailType[]).map((detailType) =>
    Object.freeze({ detailType, schemaVersion: SCHEMA_VERSION, ...definitions[detailType] }),
  ),
);

export const DETAIL_TYPES: readonly DetailType[] = catalog.map((e) => e.detailType);

const byKey = new Map(catalog.map((e) => [`${e.source}\u0000${e.detailType}`, e]));

/** The entry for this exact (source, detail-type) pair; a known detail-type under another source is not one. */
export function findCatalogEntry(source: string, detailType: string): CatalogEntry | undefined {
  return byKey.get(`${source}\u0000${detailType}`);
}
