// The local default with no X credentials: a dry run. Each reply becomes one JSON file in the
// outbox folder, `<sourceMessageId>.json`, holding the request X would have received, with its
// image beside it as `<sourceMessageId>.<ext>`. Files are written whole or not at all (temp file,
// fsync, rename), and the name is the reply's identity, so a repeat finds the file instead of
// writing a second one.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { SendTweetDetail } from '@murmur/events';
import { z } from 'zod';
import { extensionOf } from './media.js';
import type { PostedReply, ReplyMedia, ReplyPoster } from './reply-poster.js';

/** What an outbox file holds; read back (a trust boundary: anyone can edit the folder) with this. */
export const OutboxEntrySchema = z.object({
  dryRun: z.literal(true),
  writtenAt: z.iso.datetime(),
  sourceMessageId: z.string().regex(/^\d{1,20}$/),
  correlationId: z.string(),
  accountId: z.string(),
  channel: z.enum(['tweet', 'directMessage']),
  responder: z.string(),
  replyTo: z.object({ userId: z.string(), screenName: z.string().optional() }),
  text: z.string(),
  media: z
    .object({
      file: z.string(),
      key: z.string(),
      contentType: z.string(),
      bytes: z.number().int().nonnegative(),
      altText: z.string().optional(),
    })
    .optional(),
  /** The call X would have received (after uploading the media, whose id it would carry). */
  request: z.object({ method: z.literal('POST'), path: z.string(), body: z.record(z.string(), z.unknown()) }),
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

/** Stands for the X media id the upload would have returned. */
export const UPLOADED_MEDIA_ID = '<media id of the uploaded image>';

export class OutboxPoster implements ReplyPoster {
  readonly mode = 'dry-run' as const;
  readonly dir: string;

  constructor(
    dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dir = resolve(dir);
  }

  /** The outbox file of a reply (its identity is the message it answers). */
  pathOf(reply: Pick<SendTweetDetail, 'sourceMessageId'>): string {
    // sourceMessageId is an X id (digits only, by the SEND_TWEET schema): a safe file name.
    if (!/^\d{1,20}$/.test(reply.sourceMessageId)) {
      throw new Error(`not an X id: ${JSON.stringify(reply.sourceMessageId)}`);
    }
    return join(this.dir, `${reply.sourceMessageId}.json`);
  }

  async checkAccount(): Promise<undefined> {
    return undefined;
  }

  async findExisting(reply: SendTweetDetail): Promise<PostedReply | undefined> {
    const path = this.pathOf(reply);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    // Edited by hand into something else: `post` writes it again.
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = OutboxEntrySchema.safeParse(json);
    if (!parsed.success || parsed.data.sourceMessageId !== reply.sourceMessageId) return undefined;
    return this.posted(reply, path);
  }

  async post(reply: SendTweetDetail, media?: ReplyMedia): Promise<PostedReply> {
    await mkdir(this.dir, { recursive: true });
    const path = this.pathOf(reply);
    const mediaFile = media ? `${reply.sourceMessageId}.${extensionOf(media.mimeType)}` : undefined;
    if (media && mediaFile) await writeAtomically(join(this.dir, mediaFile), media.bytes);
    const entry: OutboxEntry = {
      dryRun: true,
      writtenAt: this.now().toISOString(),
      sourceMessageId: reply.sourceMessageId,
      correlationId: reply.correlationId,
      accountId: reply.accountId,
      channel: reply.channel,
      responder: reply.responder,
      replyTo: {
        userId: reply.replyToUserId,
        ...(reply.replyToScreenName ? { screenName: reply.replyToScreenName } : {}),
      },
      text: reply.text,
      ...(media && mediaFile
        ? {
            media: {
              file: mediaFile,
              key: media.key,
              contentType: media.mimeType,
              bytes: media.bytes.length,
              ...(media.altText ? { altText: media.altText } : {}),
            },
          }
        : {}),
      request: xRequest(reply, media !== undefined),
    };
    // The JSON last: its presence means the reply (and its image) is complete.
    await writeAtomically(path, Buffer.from(`${JSON.stringify(entry, null, 2)}\n`));
    return this.posted(reply, path);
  }

  private posted(reply: SendTweetDetail, path: string): PostedReply {
    return {
      dryRun: true,
      outboxPath: path,
      ...(reply.channel === 'directMessage' && reply.conversationId
        ? { conversationId: reply.conversationId }
        : {}),
    };
  }
}

/** The POST X would get for this reply (twitter-api-v2's `v2.reply` / `sendDm*` bodies). */
function xRequest(reply: SendTweetDetail, withMedia: boolean): OutboxEntry['request'] {
  if (reply.channel === 'tweet') {
    return {
      method: 'POST',
      path: '/2/tweets',
      body: {
        text: reply.text,
        reply: { in_reply_to_tweet_id: reply.inReplyToTweetId },
        ...(withMedia ? { media: { media_ids: [UPLOADED_MEDIA_ID] } } : {}),
      },
    };
  }
  return {
    method: 'POST',
    path: reply.conversationId
      ? `/2/dm_conversations/${reply.conversationId}/messages`
      : `/2/dm_conversations/with/${reply.recipientId}/messages`,
    body: { text: reply.text, ...(withMedia ? { attachments: [{ media_id: UPLOADED_MEDIA_ID }] } : {}) },
  };
}

/** Temp file beside the target (same file system, so the rename is atomic), fsync, rename. */
async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const temp = join(resolve(path, '..'), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
