// Replies to X through twitter-api-v2: v2 media upload (with alt text), then POST /2/tweets as a
// reply, or a DM into the conversation. Finding an earlier post reads the bot's own timeline
// (GET /2/users/:id/tweets) or the DM conversation's events.
import type { SendTweetDetail } from '@murmur/events';
import type { TweetV2, TwitterApi } from 'twitter-api-v2';
import { z } from 'zod';
import type { PostedReply, ReplyMedia, ReplyPoster } from './reply-poster.js';

/** twitter-api-v2 1.29.1 does not export its DM event type. */
type DmEvent = Awaited<ReturnType<TwitterApi['v2']['listDmEventsOfConversation']>>['events'][number];

/**
 * X answers a DM send with `{ data: { dm_conversation_id, dm_event_id } }`; twitter-api-v2 types it
 * without `data`. Read what arrives, either way, and refuse anything else.
 */
const DmSentSchema = z
  .union([
    z.object({ data: z.object({ dm_conversation_id: z.string(), dm_event_id: z.string() }) }),
    z.object({ dm_conversation_id: z.string(), dm_event_id: z.string() }).transform((data) => ({ data })),
  ])
  .transform((r) => r.data);

export interface XReplyPosterOptions {
  /**
   * Pages of 100 read back in time when looking for an earlier post; a longer history than that
   * since the SEND_TWEET was published is an error (retried), never "not posted".
   * @default 8
   */
  maxLookupPages?: number;
}

/** X's start_time wants RFC 3339 to the second. */
function xTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A media key is `<type>_<media id>` (e.g. `3_1900000000000000001`). */
function mediaIdOf(mediaKey: string): string {
  return mediaKey.slice(mediaKey.indexOf('_') + 1);
}

/** The earlier post could not be looked for far enough back: do not post on that doubt. */
export class LookupIncompleteError extends Error {
  override readonly name = 'LookupIncompleteError';
}

export class XReplyPoster implements ReplyPoster {
  readonly mode = 'x' as const;
  private readonly maxLookupPages: number;
  private me: Promise<{ id: string; username: string }> | undefined;

  /** `client` must act for a user (OAuth 1.0a user context): app-only tokens cannot post. */
  constructor(
    private readonly client: TwitterApi,
    options: XReplyPosterOptions = {},
  ) {
    this.maxLookupPages = options.maxLookupPages ?? 8;
  }

  async checkAccount(accountId: string): Promise<string | undefined> {
    // Asked once per process; a failure is not kept.
    this.me ??= this.client.v2.me().then(
      (r) => ({ id: r.data.id, username: r.data.username }),
      (error: unknown) => {
        this.me = undefined;
        throw error;
      },
    );
    const me = await this.me;
    if (me.id === accountId) return undefined;
    return `the X credentials act for @${me.username} (${me.id}), not for account ${accountId}`;
  }

  async post(reply: SendTweetDetail, media?: ReplyMedia): Promise<PostedReply> {
    const mediaIds = media ? [await this.upload(media, reply.channel)] : [];
    if (reply.channel === 'tweet') {
      const { data } = await this.client.v2.reply(
        reply.text,
        reply.inReplyToTweetId as string,
        mediaIds[0] ? { media: { media_ids: [mediaIds[0]] } } : {},
      );
      return { dryRun: false, tweetId: data.id, mediaIds };
    }
    const message = {
      text: reply.text,
      ...(mediaIds[0] ? { attachments: [{ media_id: mediaIds[0] }] as [{ media_id: string }] } : {}),
    };
    const answer = reply.conversationId
      ? await this.client.v2.sendDmInConversation(reply.conversationId, message)
      : await this.client.v2.sendDmToParticipant(reply.recipientId as string, message);
    const data = DmSentSchema.parse(answer);
    return {
      dryRun: false,
      dmEventId: data.dm_event_id,
      conversationId: data.dm_conversation_id,
      mediaIds,
    };
  }

  async findExisting(reply: SendTweetDetail, since: Date): Promise<PostedReply | undefined> {
    return reply.channel === 'tweet' ? this.findReplyTweet(reply, since) : this.findDm(reply, since);
  }

  private async upload(media: ReplyMedia, channel: SendTweetDetail['channel']): Promise<string> {
    const gif = media.mimeType === 'image/gif';
    const category = channel === 'tweet' ? (gif ? 'tweet_gif' : 'tweet_image') : gif ? 'dm_gif' : 'dm_image';
    const mediaId = await this.client.v2.uploadMedia(Buffer.from(media.bytes), {
      media_type: media.mimeType,
      media_category: category,
    });
    if (media.altText)
      await this.client.v2.createMediaMetadata(mediaId, { alt_text: { text: media.altText } });
    return mediaId;
  }

  /**
   * A reply by the account to the same tweet since `since`. One reply per source tweet is the
   * reply policy, so any such reply is this SEND_TWEET's: its text is not compared (X may have
   * rewritten links).
   */
  private async findReplyTweet(reply: SendTweetDetail, since: Date): Promise<PostedReply | undefined> {
    const target = reply.inReplyToTweetId;
    const isOurs = (t: TweetV2) =>
      t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === target) ?? false;
    const timeline = await this.client.v2.userTimeline(reply.accountId, {
      start_time: xTime(since),
      max_results: 100,
      exclude: ['retweets'],
      'tweet.fields': ['referenced_tweets', 'attachments', 'created_at'],
    });
    for (let page = 1; ; page++) {
      const found = timeline.tweets.find(isOurs);
      if (found) {
        return {
          dryRun: false,
          tweetId: found.id,
          mediaIds: (found.attachments?.media_keys ?? []).map(mediaIdOf),
        };
      }
      if (timeline.done) return undefined;
      if (page >= this.maxLookupPages) {
        throw new LookupIncompleteError(
          `more than ${page * 100} tweets by ${reply.accountId} since ${xTime(since)}; cannot tell whether the reply was posted`,
        );
      }
      await timeline.fetchNext();
    }
  }

  /**
   * A DM from the account with the same text in the conversation since `since`. X stores links
   * as t.co links (and may append one for an attachment), so the texts are compared without them.
   */
  private async findDm(reply: SendTweetDetail, since: Date): Promise<PostedReply | undefined> {
    const options: Parameters<TwitterApi['v2']['listDmEventsOfConversation']>[1] = {
      'dm_event.fields': ['sender_id', 'created_at', 'dm_conversation_id', 'attachments'],
      event_types: 'MessageCreate',
      max_results: 100,
    };
    const events = reply.conversationId
      ? await this.client.v2.listDmEventsOfConversation(reply.conversationId, options)
      : await this.client.v2.listDmEventsWithParticipant(reply.recipientId as string, options);
    const sinceMs = since.getTime();
    const isOurs = (e: DmEvent) =>
      e.event_type === 'MessageCreate' &&
      e.sender_id === reply.accountId &&
      sameDmText(e.text, reply.text) &&
      e.created_at !== undefined &&
      Date.parse(e.created_at) >= sinceMs;
    for (let page = 1; ; page++) {
      const found = events.events.find(isOurs);
      if (found) {
        return {
          dryRun: false,
          dmEventId: found.id,
          ...(found.dm_conversation_id ? { conversationId: found.dm_conversation_id } : {}),
          mediaIds: (found.attachments?.media_keys ?? []).map(mediaIdOf),
        };
      }
      // Newest first: once a page reaches back before `since`, nothing older can match.
      const oldest = events.events.at(-1)?.created_at;
      if (events.done || (oldest !== undefined && Date.parse(oldest) < sinceMs)) return undefined;
      if (page >= this.maxLookupPages) {
        throw new LookupIncompleteError(
          `more than ${page * 100} DM events since ${xTime(since)}; cannot tell whether the DM was sent`,
        );
      }
      await events.fetchNext();
    }
  }
}

const LINK = /\bhttps?:\/\/\S+/g;

/** The same words, whatever links X rewrote or added, and however it spaced them. */
function sameDmText(stored: string | undefined, sent: string): boolean {
  const words = (text: string) => text.replace(LINK, ' ').replace(/\s+/g, ' ').trim();
  return stored !== undefined && words(stored) === words(sent);
}
