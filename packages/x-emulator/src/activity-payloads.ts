import { createHash } from 'node:crypto';
import { tcoLink } from './links.js';

/**
 * Account Activity payloads as X delivers them: the v1.1 object shapes (ids as both
 * numbers and `*_str`, `created_at` in Twitter's date format, compatibility-mode
 * truncation with `extended_tweet`), wrapped in the `for_user_id` envelope.
 * Deterministic: ids come from a counter (or are given), t.co links from a hash.
 * Used by `murmur simulate` and by ingress tests.
 */

export interface Account {
  id: string;
  username: string;
  name?: string;
}

export interface PhotoSpec {
  width?: number;
  height?: number;
  altText?: string;
  /** Where the photo is served, e.g. a local demo host; by default the emulator's media host or pbs.twimg.com. */
  url?: string;
}

export interface VideoSpec {
  width?: number;
  height?: number;
  durationMs?: number;
}

export interface ActivityPayloadOptions {
  /**
   * The emulator whose media host serves photos (`${url}/media/<key>.jpg`), or its URL.
   * Without it, media URLs point at pbs.twimg.com / video.twimg.com like X's do.
   */
  emulator?: { url: string; registerImage?(path: string, width: number, height: number): void } | string;
  /** First id the counter hands out (default 1_800_000_000_000_000_000). */
  startId?: bigint;
  /** Clock for `created_at` / timestamps (default Date.now). */
  now?: () => number;
  /** The app that sends the account's own DMs (its `source_app_id`). */
  app?: { id: string; name: string; url?: string };
}

type Json = Record<string, unknown>;
/** A v1.1 tweet object as delivered in `tweet_create_events`. */
export type V1Tweet = Json & { id_str: string; text: string; user: V1User };
/** A v1.1 user object. */
export type V1User = Json & { id_str: string; screen_name: string };

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `Mon May 19 14:01:46 +0000 2025`, the v1.1 `created_at` format. */
export function twitterDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

const WEB_APP_SOURCE = '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>';
const WEB_APP = { id: '3033300', name: 'Twitter Web App', url: 'https://mobile.twitter.com' };
const COMPAT_LIMIT = 140;
const TCO_LENGTH = 23;

interface MediaEntry {
  entity: Json;
  kind: 'photo' | 'video' | 'animated_gif';
}

export interface TweetSpec {
  id?: string;
  author: Account;
  text: string;
  /** Reply parent. `@parent` is prefixed to the text, as X does for replies. */
  inReplyTo?: { id: string; user: Account };
  quoted?: V1Tweet;
  retweeted?: V1Tweet;
  photos?: number | PhotoSpec[];
  video?: true | VideoSpec;
  gif?: boolean;
  createdAt?: number;
}

export class ActivityPayloads {
  private next: bigint;
  private readonly now: () => number;
  private readonly base: string | undefined;
  private readonly register: ((path: string, width: number, height: number) => void) | undefined;
  private readonly accounts = new Map<string, Account>();
  readonly app: { id: string; name: string; url: string };

  constructor(options: ActivityPayloadOptions = {}) {
    this.next = options.startId ?? 1_800_000_000_000_000_000n;
    this.now = options.now ?? Date.now;
    const emulator = options.emulator;
    this.base = typeof emulator === 'string' ? emulator : emulator?.url;
    this.register = typeof emulator === 'object' ? emulator.registerImage?.bind(emulator) : undefined;
    this.app = { url: 'https://murmur.invalid', ...(options.app ?? { id: '28000000', name: 'Murmur' }) };
  }

  nextId(): string {
    const id = this.next;
    this.next += 1n;
    return id.toString();
  }

  /** A v1.1 user object (ids as number and string, like X; the number loses precision, like X's). */
  user(account: Account): V1User {
    this.accounts.set(account.username.toLowerCase(), account);
    return {
      id: Number(account.id),
      id_str: account.id,
      name: account.name ?? account.username,
      screen_name: account.username,
      location: null,
      url: null,
      description: null,
      translator_type: 'none',
      protected: false,
      verified: false,
      followers_count: 10,
      friends_count: 10,
      listed_count: 0,
      favourites_count: 0,
      statuses_count: 100,
      created_at: twitterDate(Date.UTC(2015, 0, 1)),
      utc_offset: null,
      time_zone: null,
      geo_enabled: false,
      lang: null,
      contributors_enabled: false,
      is_translator: false,
      profile_background_color: 'F5F8FA',
      profile_image_url: `http://pbs.twimg.com/profile_images/${account.id}/avatar_normal.jpg`,
      profile_image_url_https: `https://pbs.twimg.com/profile_images/${account.id}/avatar_normal.jpg`,
      profile_link_color: '1DA1F2',
      profile_use_background_image: true,
      default_profile: true,
      default_profile_image: false,
      following: null,
      follow_request_sent: null,
      notifications: null,
      withheld_in_countries: [],
    };
  }

  /** A v1.1 tweet object, with media, replies, quotes and compatibility-mode truncation. */
  tweet(spec: TweetSpec): V1Tweet {
    const id = spec.id ?? this.nextId();
    const created = spec.createdAt ?? this.now();
    const user = this.user(spec.author);
    if (spec.retweeted) return this.retweetObject(id, created, user, spec.retweeted);

    const prefix = spec.inReplyTo ? `@${spec.inReplyTo.user.username} ` : '';
    if (spec.inReplyTo) this.user(spec.inReplyTo.user);
    let body = `${prefix}${spec.text}`;
    const urls: Json[] = [];
    if (spec.quoted) {
      const permalink = `https://twitter.com/${spec.quoted.user.screen_name}/status/${spec.quoted.id_str}`;
      const tco = tcoLink(`quote:${id}`);
      urls.push({
        url: tco,
        expanded_url: permalink,
        display_url: `twitter.com/${spec.quoted.user.screen_name}/s…`,
      });
      body = `${body} ${tco}`;
    }
    const media = this.media(id, spec);
    const mediaUrl = media.length ? tcoLink(`media:${id}`) : undefined;
    const fullText = mediaUrl ? `${body} ${mediaUrl}` : body;
    const displayEnd = [...body].length;
    for (const entry of media) {
      entry.entity.url = mediaUrl;
      entry.entity.indices = [displayEnd + 1, displayEnd + 1 + TCO_LENGTH];
    }
    const mediaEntities = media.map((m) => m.entity);
    const fullEntities: Json = {
      hashtags: hashtags(fullText),
      urls: withIndices(urls, fullText),
      user_mentions: this.mentions(fullText),
      symbols: [],
      ...(mediaEntities.length ? { media: mediaEntities.slice(0, 1) } : {}),
    };
    const displayRange = [prefix.length, displayEnd];
    const tweet: Json = {
      created_at: twitterDate(created),
      id: Number(id),
      id_str: id,
      text: fullText,
      source: WEB_APP_SOURCE,
      truncated: false,
      in_reply_to_status_id: spec.inReplyTo ? Number(spec.inReplyTo.id) : null,
      in_reply_to_status_id_str: spec.inReplyTo?.id ?? null,
      in_reply_to_user_id: spec.inReplyTo ? Number(spec.inReplyTo.user.id) : null,
      in_reply_to_user_id_str: spec.inReplyTo?.user.id ?? null,
      in_reply_to_screen_name: spec.inReplyTo?.user.username ?? null,
      user,
      geo: null,
      coordinates: null,
      place: null,
      contributors: null,
      is_quote_status: Boolean(spec.quoted),
      quote_count: 0,
      reply_count: 0,
      retweet_count: 0,
      favorite_count: 0,
      entities: fullEntities,
      favorited: false,
      retweeted: false,
      filter_level: 'low',
      lang: 'en',
      timestamp_ms: String(created),
    };
    if (spec.quoted) {
      const quoted = spec.quoted;
      tweet.quoted_status_id = Number(quoted.id_str);
      tweet.quoted_status_id_str = quoted.id_str;
      tweet.quoted_status = quoted;
      tweet.quoted_status_permalink = {
        url: urls[0]?.url,
        expanded: `https://twitter.com/${quoted.user.screen_name}/status/${quoted.id_str}`,
        display: `twitter.com/${quoted.user.screen_name}/s…`,
      };
    }
    if (mediaEntities.length || spec.quoted) tweet.possibly_sensitive = false;
    if (prefix || mediaEntities.length) tweet.display_text_range = displayRange;
    if (mediaEntities.length) tweet.extended_entities = { media: mediaEntities };

    // Compatibility mode: over 140 characters, `text` is cut and the rest moves to extended_tweet.
    if ([...fullText].length > COMPAT_LIMIT) {
      const link = tcoLink(`status:${id}`);
      const keep = [...body].slice(0, COMPAT_LIMIT - TCO_LENGTH - 2).join('');
      const text = `${keep}… ${link}`;
      tweet.text = text;
      tweet.truncated = true;
      tweet.display_text_range = [prefix.length, [...keep].length + 1];
      tweet.entities = {
        hashtags: hashtags(keep),
        urls: withIndices(
          [
            {
              url: link,
              expanded_url: `https://twitter.com/i/web/status/${id}`,
              display_url: `twitter.com/i/web/status/1…`,
            },
          ],
          text,
        ),
        user_mentions: this.mentions(keep),
        symbols: [],
      };
      delete tweet.extended_entities;
      tweet.extended_tweet = {
        full_text: fullText,
        display_text_range: displayRange,
        entities: fullEntities,
        ...(mediaEntities.length ? { extended_entities: { media: mediaEntities } } : {}),
      };
    }
    return tweet as V1Tweet;
  }

  // --- tweet_create_events -------------------------------------------------------------

  /** Someone mentions the account. `@account` is prefixed to the text when missing. */
  mention(spec: {
    forUser: Account;
    from: Account;
    text?: string;
    id?: string;
    photos?: number | PhotoSpec[];
    video?: true | VideoSpec;
    gif?: boolean;
  }): Json {
    const handle = `@${spec.forUser.username}`;
    const text = spec.text ?? 'hello there';
    const withHandle = text.toLowerCase().includes(handle.toLowerCase()) ? text : `${handle} ${text}`;
    this.user(spec.forUser);
    const tweet = this.tweet({ ...spec, author: spec.from, text: withHandle });
    return { for_user_id: spec.forUser.id, user_has_blocked: false, tweet_create_events: [tweet] };
  }

  /** A mention over 140 characters: truncated `text`, the whole text in `extended_tweet.full_text`. */
  truncatedMention(spec: { forUser: Account; from: Account; text?: string; id?: string }): Json {
    const text =
      spec.text ??
      `@${spec.forUser.username} this is a long question that goes on past the old limit of one hundred and forty characters, so X truncates it and moves the rest into extended_tweet. Can you read all of it?`;
    return this.mention({ ...spec, text });
  }

  /** Someone replies to one of the account's tweets. */
  reply(spec: { forUser: Account; from: Account; text: string; inReplyToId: string; id?: string }): Json {
    const tweet = this.tweet({
      id: spec.id,
      author: spec.from,
      text: spec.text,
      inReplyTo: { id: spec.inReplyToId, user: spec.forUser },
    });
    return { for_user_id: spec.forUser.id, user_has_blocked: false, tweet_create_events: [tweet] };
  }

  /** Someone quotes one of the account's tweets. */
  quote(spec: {
    forUser: Account;
    from: Account;
    text: string;
    quotedText?: string;
    quotedId?: string;
    id?: string;
  }): Json {
    const quoted = this.tweet({
      id: spec.quotedId,
      author: spec.forUser,
      text: spec.quotedText ?? 'an earlier post',
    });
    const tweet = this.tweet({ id: spec.id, author: spec.from, text: spec.text, quoted });
    return { for_user_id: spec.forUser.id, tweet_create_events: [tweet] };
  }

  /** The account's own tweet (which a bot must not answer). */
  ownTweet(spec: {
    forUser: Account;
    text: string;
    id?: string;
    inReplyTo?: { id: string; user: Account };
  }): Json {
    const tweet = this.tweet({
      id: spec.id,
      author: spec.forUser,
      text: spec.text,
      inReplyTo: spec.inReplyTo,
    });
    return { for_user_id: spec.forUser.id, tweet_create_events: [tweet] };
  }

  /** A plain retweet of one of the account's tweets (no new text). */
  retweet(spec: {
    forUser: Account;
    from: Account;
    originalText?: string;
    originalId?: string;
    id?: string;
  }): Json {
    const original = this.tweet({
      id: spec.originalId,
      author: spec.forUser,
      text: spec.originalText ?? 'something worth sharing',
    });
    const tweet = this.tweet({ id: spec.id, author: spec.from, text: '', retweeted: original });
    return { for_user_id: spec.forUser.id, tweet_create_events: [tweet] };
  }

  // --- other activity ------------------------------------------------------------------

  /** Someone likes one of the account's tweets. */
  favorite(spec: { forUser: Account; from: Account; tweetText?: string; tweetId?: string }): Json {
    const created = this.now();
    const favorited = this.tweet({
      id: spec.tweetId,
      author: spec.forUser,
      text: spec.tweetText ?? 'a post',
    });
    return {
      for_user_id: spec.forUser.id,
      favorite_events: [
        {
          id: createHash('md5').update(`fav:${this.nextId()}`).digest('hex'),
          created_at: twitterDate(created),
          timestamp_ms: created,
          favorited_status: favorited,
          user: this.user(spec.from),
        },
      ],
    };
  }

  follow(spec: { forUser: Account; source: Account; target: Account }): Json {
    return this.sourceTarget('follow_events', 'follow', spec);
  }

  /** Unfollows arrive inside `follow_events`, with `type: "unfollow"`. */
  unfollow(spec: { forUser: Account; source: Account; target: Account }): Json {
    return this.sourceTarget('follow_events', 'unfollow', spec);
  }

  block(spec: { forUser: Account; source: Account; target: Account }): Json {
    return this.sourceTarget('block_events', 'block', spec);
  }

  unblock(spec: { forUser: Account; source: Account; target: Account }): Json {
    return this.sourceTarget('block_events', 'unblock', spec);
  }

  mute(spec: { forUser: Account; source: Account; target: Account }): Json {
    return this.sourceTarget('mute_events', 'mute', spec);
  }

  unmute(spec: { forUser: Account; source: Account; target: Account }): Json {
    return this.sourceTarget('mute_events', 'unmute', spec);
  }

  /** The user revoked the app: `user_event` is an object (not an array) and has no `for_user_id`. */
  revoke(spec: { userId: string; appId?: string }): Json {
    const iso = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    return {
      user_event: {
        revoke: {
          date_time: iso,
          target: { app_id: spec.appId ?? this.app.id },
          source: { user_id: spec.userId },
        },
      },
    };
  }

  /** A DM to the account, with the `users` and `apps` maps X sends alongside. */
  directMessage(spec: {
    forUser: Account;
    from: Account;
    text: string;
    id?: string;
    photo?: boolean | PhotoSpec;
  }): Json {
    return this.dm(spec.from, spec.forUser, spec.forUser, spec.text, WEB_APP, spec.id, spec.photo);
  }

  /** A DM the account sent itself (through the app): delivered too, and must not be answered. */
  ownDirectMessage(spec: { forUser: Account; to: Account; text: string; id?: string }): Json {
    return this.dm(spec.forUser, spec.to, spec.forUser, spec.text, this.app, spec.id);
  }

  typing(spec: { forUser: Account; from: Account }): Json {
    return {
      for_user_id: spec.forUser.id,
      direct_message_indicate_typing_events: [
        {
          created_timestamp: String(this.now()),
          sender_id: spec.from.id,
          target: { recipient_id: spec.forUser.id },
        },
      ],
      users: this.dmUsers(spec.from, spec.forUser),
    };
  }

  markRead(spec: { forUser: Account; from: Account; lastReadEventId: string }): Json {
    return {
      for_user_id: spec.forUser.id,
      direct_message_mark_read_events: [
        {
          created_timestamp: String(this.now()),
          sender_id: spec.from.id,
          target: { recipient_id: spec.forUser.id },
          last_read_event_id: spec.lastReadEventId,
        },
      ],
      users: this.dmUsers(spec.from, spec.forUser),
    };
  }

  /** A tweet was deleted (ids as strings here, unlike tweet objects). */
  tweetDelete(spec: { forUser: Account; tweetId: string; userId?: string }): Json {
    return {
      for_user_id: spec.forUser.id,
      tweet_delete_events: [
        {
          status: { id: spec.tweetId, user_id: spec.userId ?? spec.forUser.id },
          timestamp_ms: String(this.now()),
        },
      ],
    };
  }

  // --- internals -----------------------------------------------------------------------

  private sourceTarget(
    key: 'follow_events' | 'block_events' | 'mute_events',
    type: string,
    spec: { forUser: Account; source: Account; target: Account },
  ): Json {
    return {
      for_user_id: spec.forUser.id,
      [key]: [
        {
          type,
          created_timestamp: String(this.now()),
          target: this.user(spec.target),
          source: this.user(spec.source),
        },
      ],
    };
  }

  private dm(
    from: Account,
    to: Account,
    forUser: Account,
    text: string,
    app: { id: string; name: string; url: string },
    id?: string,
    photo?: boolean | PhotoSpec,
  ): Json {
    const eventId = id ?? this.nextId();
    const messageData: Json = { text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } };
    if (photo) {
      const [entry] = this.media(eventId, { photos: [photo === true ? {} : photo] });
      const link = tcoLink(`dm:${eventId}`);
      const full = `${text} ${link}`;
      messageData.text = full;
      if (entry) {
        entry.entity.url = link;
        entry.entity.indices = [[...text].length + 1, [...full].length];
        messageData.attachment = { type: 'media', media: entry.entity };
      }
    }
    return {
      for_user_id: forUser.id,
      direct_message_events: [
        {
          type: 'message_create',
          id: eventId,
          created_timestamp: String(this.now()),
          message_create: {
            target: { recipient_id: to.id },
            sender_id: from.id,
            source_app_id: app.id,
            message_data: messageData,
          },
        },
      ],
      apps: { [app.id]: { id: app.id, name: app.name, url: app.url } },
      users: this.dmUsers(from, to),
    };
  }

  /** The compact user objects of DM payloads' `users` map. */
  private dmUsers(...accounts: Account[]): Json {
    const users: Json = {};
    for (const account of accounts) {
      this.accounts.set(account.username.toLowerCase(), account);
      users[account.id] = {
        id: account.id,
        created_timestamp: String(Date.UTC(2015, 0, 1)),
        name: account.name ?? account.username,
        screen_name: account.username,
        protected: false,
        verified: false,
        followers_count: 10,
        friends_count: 10,
        statuses_count: 100,
        profile_image_url_https: `https://pbs.twimg.com/profile_images/${account.id}/avatar_normal.jpg`,
      };
    }
    return users;
  }

  private retweetObject(id: string, created: number, user: V1User, original: V1Tweet): V1Tweet {
    const originalText = String((original.extended_tweet as Json | undefined)?.full_text ?? original.text);
    let text = `RT @${original.user.screen_name}: ${originalText}`;
    if ([...text].length > COMPAT_LIMIT) text = `${[...text].slice(0, COMPAT_LIMIT - 1).join('')}…`;
    return {
      created_at: twitterDate(created),
      id: Number(id),
      id_str: id,
      text,
      source: WEB_APP_SOURCE,
      truncated: false,
      in_reply_to_status_id: null,
      in_reply_to_status_id_str: null,
      in_reply_to_user_id: null,
      in_reply_to_user_id_str: null,
      in_reply_to_screen_name: null,
      user,
      geo: null,
      coordinates: null,
      place: null,
      contributors: null,
      retweeted_status: original,
      is_quote_status: false,
      quote_count: 0,
      reply_count: 0,
      retweet_count: 0,
      favorite_count: 0,
      entities: { hashtags: [], urls: [], user_mentions: this.mentions(text), symbols: [] },
      favorited: false,
      retweeted: false,
      filter_level: 'low',
      lang: 'en',
      timestamp_ms: String(created),
    } as V1Tweet;
  }

  private media(tweetId: string, spec: Pick<TweetSpec, 'photos' | 'video' | 'gif'>): MediaEntry[] {
    const photos =
      typeof spec.photos === 'number'
        ? Array.from({ length: spec.photos }, () => ({}) as PhotoSpec)
        : (spec.photos ?? []);
    if (photos.length > 4) throw new Error('a tweet holds at most 4 photos');
    const entries: MediaEntry[] = [];
    photos.forEach((photo, index) => {
      const id = this.nextId();
      const width = photo.width ?? 1200;
      const height = photo.height ?? 900;
      const name = `3_${id}`;
      const url = photo.url ?? this.photoUrl(`/media/${name}.jpg`, width, height);
      entries.push({
        kind: 'photo',
        entity: {
          ...this.mediaBase(id, url, tweetId, `photo/${index + 1}`, width, height),
          type: 'photo',
          ...(photo.altText ? { ext_alt_text: photo.altText } : {}),
        },
      });
    });
    if (spec.video || spec.gif) {
      const id = this.nextId();
      const video: VideoSpec = spec.video && spec.video !== true ? spec.video : {};
      const width = video.width ?? 1280;
      const height = video.height ?? 720;
      const gif = Boolean(spec.gif);
      const thumb = this.base
        ? this.photoUrl(`/media/${gif ? '16' : '7'}_${id}_preview.jpg`, width, height)
        : `https://pbs.twimg.com/${gif ? 'tweet_video_thumb' : `ext_tw_video_thumb/${id}/pu/img`}/${id}.jpg`;
      const file = this.base
        ? `${this.base}/media/${gif ? '16' : '7'}_${id}.mp4`
        : `https://video.twimg.com/${gif ? 'tweet_video' : `ext_tw_video/${id}/pu/vid/${width}x${height}`}/${id}.mp4`;
      const divisor = gcd(width, height);
      entries.push({
        kind: gif ? 'animated_gif' : 'video',
        entity: {
          ...this.mediaBase(id, thumb, tweetId, gif ? 'photo/1' : 'video/1', width, height),
          type: gif ? 'animated_gif' : 'video',
          video_info: {
            aspect_ratio: [width / divisor, height / divisor],
            ...(gif ? {} : { duration_millis: video.durationMs ?? 8000 }),
            variants: [
              { bitrate: gif ? 0 : 832000, content_type: 'video/mp4', url: file },
              ...(gif ? [] : [{ content_type: 'application/x-mpegURL', url: `${file}.m3u8` }]),
            ],
          },
          additional_media_info: { monetizable: false },
        },
      });
    }
    return entries;
  }

  private mediaBase(
    id: string,
    url: string,
    tweetId: string,
    path: string,
    width: number,
    height: number,
  ): Json {
    const fit = (max: number) => {
      const scale = Math.min(1, max / Math.max(width, height));
      return { w: Math.round(width * scale), h: Math.round(height * scale), resize: 'fit' };
    };
    return {
      id: Number(id),
      id_str: id,
      indices: [0, 0],
      media_url: url.replace(/^https:/, 'http:'),
      media_url_https: url,
      url: '',
      display_url: `pic.twitter.com/${tcoLink(`pic:${tweetId}`).slice(-10)}`,
      expanded_url: `https://twitter.com/i/web/status/${tweetId}/${path}`,
      sizes: {
        thumb: { w: 150, h: 150, resize: 'crop' },
        small: fit(680),
        medium: fit(1200),
        large: fit(2048),
      },
    };
  }

  private photoUrl(path: string, width: number, height: number): string {
    if (!this.base) return `https://pbs.twimg.com${path}`;
    this.register?.(path, width, height);
    return `${this.base}${path}`;
  }

  /** user_mentions for handles of accounts this builder has seen. */
  private mentions(text: string): Json[] {
    const out: Json[] = [];
    for (const match of text.matchAll(/@([A-Za-z0-9_]{1,15})/g)) {
      const account = this.accounts.get((match[1] ?? '').toLowerCase());
      if (!account || match.index === undefined) continue;
      out.push({
        screen_name: account.username,
        name: account.name ?? account.username,
        id: Number(account.id),
        id_str: account.id,
        indices: [match.index, match.index + match[0].length],
      });
    }
    return out;
  }
}

function hashtags(text: string): Json[] {
  return [...text.matchAll(/#(\w+)/g)].map((m) => ({
    text: m[1],
    indices: [m.index ?? 0, (m.index ?? 0) + m[0].length],
  }));
}

function withIndices(urls: Json[], text: string): Json[] {
  return urls.map((u) => {
    const at = text.indexOf(String(u.url));
    return { ...u, indices: [at, at + String(u.url).length] };
  });
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function activityPayloads(options?: ActivityPayloadOptions): ActivityPayloads {
  return new ActivityPayloads(options);
}
