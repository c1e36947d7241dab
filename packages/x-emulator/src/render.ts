import { resourceNotFound } from './errors.js';
import type { ParsedQuery } from './query.js';
import type { EmulatedMedia, EmulatedTweet, EmulatedUser, EmulatorState } from './state.js';

/**
 * v2 object rendering: default fields only, plus what `*.fields` asks for, plus the fields
 * an expansion implies (X adds `author_id` to a tweet when `expansions=author_id`).
 */

export interface RenderContext {
  state: EmulatorState;
  baseUrl: string;
  query: ParsedQuery;
}

type Json = Record<string, unknown>;

const iso = (ms: number) => new Date(ms).toISOString();

export function renderUser(user: EmulatedUser, ctx: RenderContext): Json {
  const fields = ctx.query.userFields;
  const out: Json = { id: user.id, name: user.name, username: user.username };
  if (fields.has('created_at')) out.created_at = iso(user.createdAt);
  if (fields.has('description')) out.description = user.description;
  if (fields.has('location') && user.location) out.location = user.location;
  if (fields.has('protected')) out.protected = user.protected;
  if (fields.has('verified')) out.verified = user.verified;
  if (fields.has('verified_type')) out.verified_type = 'none';
  if (fields.has('receives_your_dm')) out.receives_your_dm = user.acceptsDms;
  if (fields.has('url')) out.url = '';
  if (fields.has('profile_image_url'))
    out.profile_image_url = `${ctx.baseUrl}/profile_images/${user.id}/normal.jpg`;
  if (fields.has('public_metrics')) {
    const tweets = [...ctx.state.tweets.values()].filter((t) => t.authorId === user.id && !t.deletedAt);
    out.public_metrics = {
      followers_count: ctx.state.followers.get(user.id)?.length ?? 0,
      following_count: [...ctx.state.followers.values()].filter((ids) => ids.includes(user.id)).length,
      tweet_count: tweets.length,
      listed_count: 0,
      like_count: 0,
      media_count: tweets.reduce((n, t) => n + t.mediaKeys.length, 0),
    };
  }
  return out;
}

export function renderMedia(media: EmulatedMedia, ctx: RenderContext): Json {
  const fields = ctx.query.mediaFields;
  const out: Json = { media_key: media.mediaKey, type: media.type };
  if (fields.has('url') && media.type === 'photo') out.url = `${ctx.baseUrl}${media.filePath}`;
  if (fields.has('preview_image_url') && media.previewPath) {
    out.preview_image_url = `${ctx.baseUrl}${media.previewPath}`;
  }
  if (fields.has('width')) out.width = media.width;
  if (fields.has('height')) out.height = media.height;
  if (fields.has('alt_text') && media.altText) out.alt_text = media.altText;
  if (fields.has('duration_ms') && media.type === 'video') out.duration_ms = media.durationMs ?? 0;
  if (fields.has('public_metrics') && media.type === 'video') out.public_metrics = { view_count: 0 };
  if (fields.has('variants') && media.type !== 'photo') {
    out.variants = [
      ...(media.type === 'video'
        ? [{ content_type: 'application/x-mpegURL', url: `${ctx.baseUrl}${media.filePath}.m3u8` }]
        : []),
      { bit_rate: 832000, content_type: 'video/mp4', url: `${ctx.baseUrl}${media.filePath}` },
    ];
  }
  return out;
}

export function referencedTweets(tweet: EmulatedTweet): { type: string; id: string }[] {
  const refs: { type: string; id: string }[] = [];
  if (tweet.retweetedTweetId) refs.push({ type: 'retweeted', id: tweet.retweetedTweetId });
  if (tweet.quotedTweetId) refs.push({ type: 'quoted', id: tweet.quotedTweetId });
  if (tweet.inReplyToTweetId) refs.push({ type: 'replied_to', id: tweet.inReplyToTweetId });
  return refs;
}

export function renderTweet(tweet: EmulatedTweet, ctx: RenderContext): Json {
  const fields = ctx.query.tweetFields;
  const expansions = ctx.query.expansions;
  const out: Json = { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] };
  if (fields.has('author_id') || expansions.has('author_id')) out.author_id = tweet.authorId;
  if (fields.has('created_at')) out.created_at = iso(tweet.createdAt);
  if (fields.has('conversation_id')) out.conversation_id = tweet.conversationId;
  if ((fields.has('in_reply_to_user_id') || expansions.has('in_reply_to_user_id')) && tweet.inReplyToUserId) {
    out.in_reply_to_user_id = tweet.inReplyToUserId;
  }
  const refs = referencedTweets(tweet);
  if ((fields.has('referenced_tweets') || expansions.has('referenced_tweets.id')) && refs.length > 0) {
    out.referenced_tweets = refs;
  }
  if ((fields.has('attachments') || expansions.has('attachments.media_keys')) && tweet.mediaKeys.length > 0) {
    out.attachments = { media_keys: tweet.mediaKeys };
  }
  if (fields.has('entities') && tweet.mentions.length > 0) {
    out.entities = {
      mentions: tweet.mentions.map((m) => ({
        start: m.start,
        end: m.end,
        username: m.username,
        id: m.userId,
      })),
    };
  }
  if (fields.has('lang')) out.lang = tweet.lang;
  if (fields.has('possibly_sensitive')) out.possibly_sensitive = false;
  if (fields.has('reply_settings')) out.reply_settings = 'everyone';
  if (fields.has('display_text_range')) out.display_text_range = [0, tweet.text.length];
  if (fields.has('public_metrics')) {
    out.public_metrics = {
      retweet_count: 0,
      reply_count: 0,
      like_count: 0,
      quote_count: 0,
      bookmark_count: 0,
      impression_count: 0,
    };
  }
  return out;
}

/** Collects `includes` (and partial `errors`) for a page of tweets, in first-seen order. */
export class Includes {
  private readonly users = new Map<string, Json>();
  private readonly media = new Map<string, Json>();
  private readonly tweets = new Map<string, Json>();
  readonly errors: Json[] = [];

  constructor(private readonly ctx: RenderContext) {}

  addUser(id: string): void {
    const user = this.ctx.state.users.get(id);
    if (user && !this.users.has(id)) this.users.set(id, renderUser(user, this.ctx));
  }

  addMedia(key: string): void {
    const media = this.ctx.state.media.get(key);
    if (media && !this.media.has(key)) this.media.set(key, renderMedia(media, this.ctx));
  }

  forTweet(tweet: EmulatedTweet): void {
    const exp = this.ctx.query.expansions;
    if (exp.has('author_id')) this.addUser(tweet.authorId);
    if (exp.has('in_reply_to_user_id') && tweet.inReplyToUserId) this.addUser(tweet.inReplyToUserId);
    if (exp.has('entities.mentions.username')) for (const m of tweet.mentions) this.addUser(m.userId);
    if (exp.has('attachments.media_keys')) for (const key of tweet.mediaKeys) this.addMedia(key);
    if (!exp.has('referenced_tweets.id')) return;
    for (const ref of referencedTweets(tweet)) {
      const referenced = this.ctx.state.liveTweet(ref.id);
      if (!referenced) {
        // X keeps the reference and reports the missing tweet as a partial error.
        this.errors.push(resourceNotFound('tweet', 'referenced_tweets.id', ref.id));
        continue;
      }
      if (!this.tweets.has(ref.id)) this.tweets.set(ref.id, renderTweet(referenced, this.ctx));
      if (exp.has('referenced_tweets.id.author_id')) this.addUser(referenced.authorId);
      if (exp.has('referenced_tweets.id.attachments.media_keys')) {
        for (const key of referenced.mediaKeys) this.addMedia(key);
      }
    }
  }

  toJson(): Json | undefined {
    const out: Json = {};
    if (this.users.size) out.users = [...this.users.values()];
    if (this.media.size) out.media = [...this.media.values()];
    if (this.tweets.size) out.tweets = [...this.tweets.values()];
    return Object.keys(out).length ? out : undefined;
  }
}

/** `{ data, includes, errors, meta }` with absent parts left out, as X does. */
export function envelope(parts: {
  data?: unknown;
  includes?: Includes;
  meta?: unknown;
  errors?: unknown[];
}): Json {
  const out: Json = {};
  if (parts.data !== undefined) out.data = parts.data;
  const includes = parts.includes?.toJson();
  if (includes) out.includes = includes;
  const errors = [...(parts.errors ?? []), ...(parts.includes?.errors ?? [])];
  if (errors.length) out.errors = errors;
  if (parts.meta !== undefined) out.meta = parts.meta;
  return out;
}
