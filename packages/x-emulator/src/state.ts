import { compareIds, IdSequence } from './ids.js';

/**
 * The emulator's in-memory world: users, tweets, media, DMs, followers, webhooks and
 * subscriptions, plus what was delivered to webhooks. Everything Murmur posts lands here,
 * so tests assert on it directly.
 */

export interface EmulatedUser {
  id: string;
  username: string;
  name: string;
  createdAt: number;
  description: string;
  location?: string;
  protected: boolean;
  verified: boolean;
  /** False makes DMs to this user fail the way X refuses them. */
  acceptsDms: boolean;
}

export type MediaType = 'photo' | 'video' | 'animated_gif';

export interface EmulatedMedia {
  id: string;
  mediaKey: string;
  type: MediaType;
  width: number;
  height: number;
  /** Path on the emulator's media host, e.g. `/media/3_190….jpg`. */
  filePath: string;
  /** For video and GIF: the preview image's path. */
  previewPath?: string;
  durationMs?: number;
  altText?: string;
  mimeType: string;
  category?: string;
  /** Uploaded bytes; seeded photos are drawn on demand instead. */
  data?: Buffer;
  totalBytes?: number;
  segments: Map<number, Buffer>;
  state: 'uploading' | 'processing' | 'ready';
  ownerId?: string;
  createdAt: number;
}

export interface EmulatedTweet {
  id: string;
  text: string;
  authorId: string;
  createdAt: number;
  conversationId: string;
  inReplyToTweetId?: string;
  inReplyToUserId?: string;
  quotedTweetId?: string;
  retweetedTweetId?: string;
  mediaKeys: string[];
  mentions: { userId: string; username: string; start: number; end: number }[];
  lang: string;
  /** True when it came in through `POST /2/tweets` (what Murmur posted). */
  postedViaApi: boolean;
  deletedAt?: number;
}

export interface EmulatedDmEvent {
  id: string;
  dmConversationId: string;
  senderId: string;
  participantIds: string[];
  text: string;
  mediaIds: string[];
  createdAt: number;
  sentViaApi: boolean;
}

export interface EmulatedWebhook {
  id: string;
  url: string;
  valid: boolean;
  createdAt: number;
}

export interface Delivery {
  url: string;
  webhookId?: string;
  payload: unknown;
  rawBody: string;
  at: number;
  status: number;
  replayJobId?: string;
}

export interface ReplayJob {
  jobId: string;
  webhookId: string;
  fromMs: number;
  toMs: number;
  createdAt: number;
  state: 'running' | 'complete' | 'incomplete';
  delivered: number;
}

export interface UserInput {
  id: string;
  username: string;
  name?: string;
  description?: string;
  location?: string;
  protected?: boolean;
  verified?: boolean;
  acceptsDms?: boolean;
  createdAt?: Date | string | number;
}

export interface PhotoInput {
  width?: number;
  height?: number;
  altText?: string;
}

export interface VideoInput {
  width?: number;
  height?: number;
  durationMs?: number;
  /** An animated GIF instead of a video. */
  gif?: boolean;
}

export interface TweetInput {
  id?: string;
  /** Author's user id or username (the user must exist). */
  author: string;
  text: string;
  createdAt?: Date | string | number;
  /** A count of default photos, or their sizes (1 to 4). */
  photos?: number | PhotoInput[];
  video?: true | VideoInput;
  /** Id of the tweet this one replies to. */
  inReplyTo?: string;
  /** Id of the tweet this one quotes. */
  quote?: string;
  /** Id of the tweet this one retweets. */
  retweetOf?: string;
  lang?: string;
}

export interface MentionInput extends Omit<TweetInput, 'text'> {
  text?: string;
  /** Who is mentioned: a user id or username; defaults to the authenticated user. */
  to?: string;
}

export interface DirectMessageInput {
  id?: string;
  from: string;
  to: string;
  text: string;
  createdAt?: Date | string | number;
}

const MENTION_PATTERN = /@([A-Za-z0-9_]{1,15})/g;
export const DEFAULT_PHOTO = { width: 640, height: 480 };
const DEFAULT_VIDEO = { width: 1280, height: 720, durationMs: 8000 };

export function toEpochMs(value: Date | string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new Error(`invalid date: ${value}`);
  return parsed;
}

export function oneToOneConversationId(a: string, b: string): string {
  return compareIds(a, b) <= 0 ? `${a}-${b}` : `${b}-${a}`;
}

export class EmulatorState {
  readonly users = new Map<string, EmulatedUser>();
  readonly tweets = new Map<string, EmulatedTweet>();
  readonly media = new Map<string, EmulatedMedia>();
  readonly dmEvents: EmulatedDmEvent[] = [];
  /** user id -> follower ids, oldest follow first. */
  readonly followers = new Map<string, string[]>();
  readonly webhooks = new Map<string, EmulatedWebhook>();
  /** webhook id -> subscribed user ids. */
  readonly subscriptions = new Map<string, Set<string>>();
  readonly deliveries: Delivery[] = [];
  readonly replayJobs = new Map<string, ReplayJob>();
  /** Sizes of photos that exist only in Account Activity payloads, by media-host path. */
  readonly hostedImages = new Map<string, { width: number; height: number }>();
  /** The user that requests act as when their token is not bound to another user. */
  authenticatedUserId: string | undefined;

  readonly ids = new IdSequence();

  constructor(private readonly now: () => number) {}

  addUser(input: UserInput): EmulatedUser {
    if (!/^\d{1,19}$/.test(input.id)) throw new Error(`user id must be numeric: ${input.id}`);
    if (!/^[A-Za-z0-9_]{1,15}$/.test(input.username)) throw new Error(`invalid username: ${input.username}`);
    const user: EmulatedUser = {
      id: input.id,
      username: input.username,
      name: input.name ?? input.username,
      createdAt: toEpochMs(input.createdAt, Date.UTC(2015, 0, 1)),
      description: input.description ?? '',
      location: input.location,
      protected: input.protected ?? false,
      verified: input.verified ?? false,
      acceptsDms: input.acceptsDms ?? true,
    };
    this.users.set(user.id, user);
    // The first user is who the API caller is, unless the test says otherwise.
    this.authenticatedUserId ??= user.id;
    return user;
  }

  /** Resolves a user id or username; throws for unknown users, since that is a test bug. */
  requireUser(ref: string): EmulatedUser {
    const user = this.users.get(ref) ?? this.userByUsername(ref.replace(/^@/, ''));
    if (!user) throw new Error(`unknown user: ${ref} (add it with addUser first)`);
    return user;
  }

  userByUsername(username: string): EmulatedUser | undefined {
    const wanted = username.toLowerCase();
    for (const user of this.users.values()) if (user.username.toLowerCase() === wanted) return user;
    return undefined;
  }

  addTweet(input: TweetInput, postedViaApi = false, mediaKeys: string[] = []): EmulatedTweet {
    const author = this.requireUser(input.author);
    const id = input.id ?? this.ids.take();
    if (input.id) this.ids.observe(input.id);
    if (this.tweets.has(id)) throw new Error(`tweet ${id} already exists`);
    const createdAt = toEpochMs(input.createdAt, this.now());
    const parent = input.inReplyTo ? this.tweets.get(input.inReplyTo) : undefined;
    if (input.inReplyTo && !parent) throw new Error(`unknown tweet to reply to: ${input.inReplyTo}`);
    if (input.quote && !this.tweets.has(input.quote))
      throw new Error(`unknown tweet to quote: ${input.quote}`);
    if (input.retweetOf && !this.tweets.has(input.retweetOf)) {
      throw new Error(`unknown tweet to retweet: ${input.retweetOf}`);
    }
    const keys = [...mediaKeys, ...this.seedMedia(input, createdAt)];
    const tweet: EmulatedTweet = {
      id,
      text: input.text,
      authorId: author.id,
      createdAt,
      conversationId: parent ? parent.conversationId : id,
      inReplyToTweetId: parent?.id,
      inReplyToUserId: parent?.authorId,
      quotedTweetId: input.quote,
      retweetedTweetId: input.retweetOf,
      mediaKeys: keys,
      mentions: this.parseMentions(input.text),
      lang: input.lang ?? 'en',
      postedViaApi,
    };
    this.tweets.set(id, tweet);
    return tweet;
  }

  addMention(input: MentionInput): EmulatedTweet {
    const toRef = input.to ?? this.authenticatedUserId;
    if (!toRef) throw new Error('addMention needs `to` or an authenticated user');
    const target = this.requireUser(toRef);
    const handle = `@${target.username}`;
    const body = input.text ?? 'hello';
    // A mention must name the account, or X would not list it in the mentions timeline.
    const text = body.toLowerCase().includes(handle.toLowerCase()) ? body : `${handle} ${body}`;
    return this.addTweet({ ...input, text });
  }

  /** Live (not deleted) tweets that mention a user, newest first. */
  mentionsOf(userId: string): EmulatedTweet[] {
    return [...this.tweets.values()]
      .filter((t) => !t.deletedAt && t.mentions.some((m) => m.userId === userId))
      .sort((a, b) => compareIds(b.id, a.id));
  }

  /** Live (not deleted) tweets a user wrote, newest first. */
  tweetsBy(userId: string): EmulatedTweet[] {
    return [...this.tweets.values()]
      .filter((t) => !t.deletedAt && t.authorId === userId)
      .sort((a, b) => compareIds(b.id, a.id));
  }

  liveTweet(id: string): EmulatedTweet | undefined {
    const tweet = this.tweets.get(id);
    return tweet && !tweet.deletedAt ? tweet : undefined;
  }

  addFollower(userRef: string, followerRef: string): void {
    const user = this.requireUser(userRef);
    const follower = this.requireUser(followerRef);
    const list = this.followers.get(user.id) ?? [];
    if (!list.includes(follower.id)) list.push(follower.id);
    this.followers.set(user.id, list);
  }

  removeFollower(userRef: string, followerRef: string): void {
    const user = this.requireUser(userRef);
    const follower = this.requireUser(followerRef);
    const list = this.followers.get(user.id) ?? [];
    this.followers.set(
      user.id,
      list.filter((id) => id !== follower.id),
    );
  }

  addDirectMessage(input: DirectMessageInput, sentViaApi = false, mediaIds: string[] = []): EmulatedDmEvent {
    const from = this.requireUser(input.from);
    const to = this.requireUser(input.to);
    const id = input.id ?? this.ids.take();
    if (input.id) this.ids.observe(input.id);
    const event: EmulatedDmEvent = {
      id,
      dmConversationId: oneToOneConversationId(from.id, to.id),
      senderId: from.id,
      participantIds: [from.id, to.id],
      text: input.text,
      mediaIds,
      createdAt: toEpochMs(input.createdAt, this.now()),
      sentViaApi,
    };
    this.dmEvents.push(event);
    return event;
  }

  createMedia(type: MediaType, init: Partial<EmulatedMedia> = {}): EmulatedMedia {
    const id = this.ids.take();
    const prefix = type === 'photo' ? '3' : type === 'video' ? '7' : '16';
    const mediaKey = `${prefix}_${id}`;
    const defaults = type === 'photo' ? DEFAULT_PHOTO : DEFAULT_VIDEO;
    const media: EmulatedMedia = {
      id,
      mediaKey,
      type,
      width: defaults.width,
      height: defaults.height,
      filePath: type === 'photo' ? `/media/${mediaKey}.jpg` : `/media/${mediaKey}.mp4`,
      previewPath: type === 'photo' ? undefined : `/media/${mediaKey}_preview.jpg`,
      mimeType: type === 'photo' ? 'image/jpeg' : type === 'video' ? 'video/mp4' : 'image/gif',
      segments: new Map(),
      state: 'ready',
      createdAt: this.now(),
      ...init,
    };
    this.media.set(mediaKey, media);
    return media;
  }

  mediaById(id: string): EmulatedMedia | undefined {
    for (const media of this.media.values()) if (media.id === id) return media;
    return undefined;
  }

  /** Finds media by the file name the media host serves (`<media_key>.jpg`, `…_preview.jpg`). */
  mediaByPath(path: string): { media: EmulatedMedia; preview: boolean } | undefined {
    for (const media of this.media.values()) {
      if (media.filePath === path) return { media, preview: false };
      if (media.previewPath === path) return { media, preview: true };
    }
    return undefined;
  }

  /** Posted by Murmur through the API, oldest first: what tests usually assert on. */
  postedTweets(): EmulatedTweet[] {
    return [...this.tweets.values()].filter((t) => t.postedViaApi).sort((a, b) => compareIds(a.id, b.id));
  }

  sentDirectMessages(): EmulatedDmEvent[] {
    return this.dmEvents.filter((e) => e.sentViaApi);
  }

  private seedMedia(input: TweetInput, createdAt: number): string[] {
    const keys: string[] = [];
    const photos =
      typeof input.photos === 'number'
        ? Array.from({ length: input.photos }, () => ({}) as PhotoInput)
        : (input.photos ?? []);
    if (photos.length > 4) throw new Error('a tweet holds at most 4 photos');
    if (photos.length > 0 && input.video) throw new Error('a tweet holds photos or a video, not both');
    for (const photo of photos) {
      const media = this.createMedia('photo', {
        width: photo.width ?? DEFAULT_PHOTO.width,
        height: photo.height ?? DEFAULT_PHOTO.height,
        altText: photo.altText,
        createdAt,
      });
      keys.push(media.mediaKey);
    }
    if (input.video) {
      const spec: VideoInput = input.video === true ? {} : input.video;
      const media = this.createMedia(spec.gif ? 'animated_gif' : 'video', {
        width: spec.width ?? DEFAULT_VIDEO.width,
        height: spec.height ?? DEFAULT_VIDEO.height,
        durationMs: spec.gif ? undefined : (spec.durationMs ?? DEFAULT_VIDEO.durationMs),
        createdAt,
      });
      keys.push(media.mediaKey);
    }
    return keys;
  }

  private parseMentions(text: string): EmulatedTweet['mentions'] {
    const mentions: EmulatedTweet['mentions'] = [];
    for (const match of text.matchAll(MENTION_PATTERN)) {
      const user = this.userByUsername(match[1] ?? '');
      if (!user || match.index === undefined) continue;
      mentions.push({
        userId: user.id,
        username: user.username,
        start: match.index,
        end: match.index + match[0].length,
      });
    }
    return mentions;
  }
}
