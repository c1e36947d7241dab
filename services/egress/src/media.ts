// The image a SEND_TWEET attaches: read from the media store and checked against what X accepts
// before anything is uploaded, so a reply X would refuse fails with a clear reason, once.
import type { SendTweetDetail } from '@murmur/events';
import { BlobNotFoundError, type BlobPort } from '@murmur/ports';
import type { ReplyImageType, ReplyMedia } from './reply-poster.js';

/** X's limits on an uploaded image: 5 MB for photos, 15 MB for an animated GIF. */
export const MAX_IMAGE_BYTES: Record<ReplyImageType, number> = {
  'image/jpeg': 5 * 1024 * 1024,
  'image/png': 5 * 1024 * 1024,
  'image/webp': 5 * 1024 * 1024,
  'image/gif': 15 * 1024 * 1024,
};

/** The reply's media can never be posted as is (missing, not an image X takes, too large). */
export class MediaUnusableError extends Error {
  override readonly name = 'MediaUnusableError';
}

/** The format by the file's magic bytes: the store keeps no reliable content type (S3 might). */
export function sniffImageType(bytes: Uint8Array): ReplyImageType | undefined {
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** The file extension the outbox gives an image of this type. */
export function extensionOf(type: ReplyImageType): string {
  return { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' }[type];
}

/**
 * SEND_TWEET's `mediaKey`, read and checked. A missing object or a key the store refuses is
 * `MediaUnusableError`; any other store failure is passed on (retried).
 */
export async function loadReplyMedia(
  blobs: BlobPort,
  reply: Pick<SendTweetDetail, 'mediaKey' | 'mediaAltText'>,
): Promise<ReplyMedia | undefined> {
  const key = reply.mediaKey;
  if (key === undefined) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await blobs.get(key);
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      throw new MediaUnusableError(`the reply's media ${key} is not in the media store (${blobs.bucket})`);
    }
    // The local store refuses keys that could leave its folder: no retry can fix that.
    if ((error as Error | undefined)?.name === 'InvalidBlobKeyError') {
      throw new MediaUnusableError(`the reply's media key is unusable: ${(error as Error).message}`);
    }
    throw error;
  }
  const mimeType = sniffImageType(bytes);
  if (!mimeType) {
    throw new MediaUnusableError(`the reply's media ${key} is not a JPEG, PNG, GIF or WEBP image`);
  }
  if (bytes.length > MAX_IMAGE_BYTES[mimeType]) {
    throw new MediaUnusableError(
      `the reply's media ${key} is ${bytes.length} bytes; X takes at most ${MAX_IMAGE_BYTES[mimeType]} for ${mimeType}`,
    );
  }
  return { key, bytes, mimeType, ...(reply.mediaAltText ? { altText: reply.mediaAltText } : {}) };
}
