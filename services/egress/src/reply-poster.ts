// How a reply leaves Murmur: posted to X, or written to the local dry-run outbox. The handler
// owns exactly-once (idempotency records); a poster only talks to X or to the disk.
import type { SendTweetDetail } from '@murmur/events';

/** Image formats X takes for a tweet or DM photo (GIFs may be animated). */
export type ReplyImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

/** The image a reply attaches, read from the media store. */
export interface ReplyMedia {
  /** The media store key (SEND_TWEET's `mediaKey`). */
  key: string;
  bytes: Uint8Array;
  mimeType: ReplyImageType;
  altText?: string;
}

/** What a poster made (or found already made) for one SEND_TWEET. */
export interface PostedReply {
  dryRun: boolean;
  /** The new reply tweet (tweet channel). */
  tweetId?: string;
  /** The new DM event (directMessage channel). */
  dmEventId?: string;
  /** The DM conversation it went into. */
  conversationId?: string;
  /** X media ids attached. */
  mediaIds?: string[];
  /** Dry run: the outbox file written. */
  outboxPath?: string;
}

export interface ReplyPoster {
  /** `x` posts for real; `dry-run` writes the outbox. For logs and start-up banners. */
  readonly mode: 'x' | 'dry-run';
  /** Why replies cannot be posted as `accountId` with these credentials; undefined when they can. */
  checkAccount(accountId: string): Promise<string | undefined>;
  /**
   * The reply this SEND_TWEET already produced, if any, made no earlier than `since`: how a retry
   * after a crash between X's answer and the idempotency record finds the post instead of
   * repeating it. Throws when it cannot tell (X unreachable): never "not found" on doubt.
   */
  findExisting(reply: SendTweetDetail, since: Date): Promise<PostedReply | undefined>;
  /** Uploads the media (if any) and posts the reply or sends the DM. */
  post(reply: SendTweetDetail, media?: ReplyMedia): Promise<PostedReply>;
}
