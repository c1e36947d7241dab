import { imageSize } from 'image-size';
import { z } from 'zod';
import { parseJsonBody, readFields } from '../body.js';
import type { HandlerContext, Route } from '../context.js';
import { invalidParameter, invalidRequest } from '../errors.js';
import { json, type Reply } from '../http-types.js';
import type { EmulatedMedia, MediaType } from '../state.js';
import { actingUser, isReply } from './shared.js';

/*
 * v2 media upload, as twitter-api-v2 1.29.1's `v2.uploadMedia` drives it:
 * POST /2/media/upload/initialize (JSON), POST /2/media/upload/:id/append (multipart,
 * `segment_index` + `media`), POST /2/media/upload/:id/finalize, then
 * GET /2/media/upload?command=STATUS&media_id=… while processing_info says so.
 * The one-shot POST /2/media/upload (multipart `media`) and its legacy `command=` form
 * are accepted too.
 */

const EXPIRES_AFTER_SECS = 86400;

const MIME_TYPES: Record<string, { type: MediaType; ext: string; maxBytes: number }> = {
  'image/jpeg': { type: 'photo', ext: 'jpg', maxBytes: 5 * 1024 * 1024 },
  'image/pjpeg': { type: 'photo', ext: 'jpg', maxBytes: 5 * 1024 * 1024 },
  'image/png': { type: 'photo', ext: 'png', maxBytes: 5 * 1024 * 1024 },
  'image/webp': { type: 'photo', ext: 'webp', maxBytes: 5 * 1024 * 1024 },
  'image/bmp': { type: 'photo', ext: 'bmp', maxBytes: 5 * 1024 * 1024 },
  'image/tiff': { type: 'photo', ext: 'tiff', maxBytes: 5 * 1024 * 1024 },
  'image/gif': { type: 'animated_gif', ext: 'gif', maxBytes: 15 * 1024 * 1024 },
  'video/mp4': { type: 'video', ext: 'mp4', maxBytes: 512 * 1024 * 1024 },
  'video/quicktime': { type: 'video', ext: 'mov', maxBytes: 512 * 1024 * 1024 },
  'video/webm': { type: 'video', ext: 'webm', maxBytes: 512 * 1024 * 1024 },
};

const CATEGORIES = [
  'amplify_video',
  'tweet_gif',
  'tweet_image',
  'tweet_video',
  'dm_gif',
  'dm_image',
  'dm_video',
  'subtitles',
];

const InitializeBody = z.strictObject({
  media_type: z.string(),
  total_bytes: z.coerce.number().int().positive(),
  media_category: z.enum(CATEGORIES as [string, ...string[]]).optional(),
  additional_owners: z.union([z.array(z.string()), z.string()]).optional(),
  shared: z.boolean().optional(),
});

function mediaIdError(id: string): Reply {
  return invalidParameter('id', id, `The \`id\` value [${id}] is not a valid media id or has expired`);
}

function initializeMedia(
  ctx: HandlerContext,
  ownerId: string,
  mediaType: string,
  totalBytes: number,
  category: string | undefined,
): EmulatedMedia | Reply {
  const kind = MIME_TYPES[mediaType];
  if (!kind) {
    return invalidParameter(
      'media_type',
      mediaType,
      `The \`media_type\` value [${mediaType}] is not supported`,
    );
  }
  // A GIF uploaded as an image is a still photo on X; as tweet_gif it is animated.
  const type: MediaType = kind.type === 'animated_gif' && category === 'tweet_image' ? 'photo' : kind.type;
  if (totalBytes > kind.maxBytes) {
    return invalidParameter('total_bytes', String(totalBytes), `File size exceeds ${kind.maxBytes} bytes.`);
  }
  const media = ctx.services.state.createMedia(type, {
    mimeType: mediaType,
    category,
    totalBytes,
    state: 'uploading',
    ownerId,
  });
  media.filePath = `/media/${media.mediaKey}.${kind.ext}`;
  return media;
}

function initialize(ctx: HandlerContext) {
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  const body = parseJsonBody(ctx, InitializeBody);
  if (!body.ok) return body.reply;
  const media = initializeMedia(
    ctx,
    user.id,
    body.value.media_type,
    body.value.total_bytes,
    body.value.media_category,
  );
  if (isReply(media)) return media;
  return json(200, {
    data: { id: media.id, media_key: media.mediaKey, expires_after_secs: EXPIRES_AFTER_SECS },
  });
}

function appendSegment(
  ctx: HandlerContext,
  id: string,
  segment: string | undefined,
  data: Buffer | undefined,
) {
  const media = ctx.services.state.mediaById(id);
  if (media?.state !== 'uploading') return mediaIdError(id);
  if (segment === undefined || !/^\d+$/.test(segment) || Number(segment) > 999) {
    return invalidParameter(
      'segment_index',
      segment ?? '',
      'segment_index must be an integer between 0 and 999',
    );
  }
  if (!data || data.length === 0) return invalidRequest([{ message: 'media is required' }]);
  media.segments.set(Number(segment), data);
  return json(200, { data: { expires_at: Math.floor(ctx.services.now() / 1000) + EXPIRES_AFTER_SECS } });
}

function append(ctx: HandlerContext) {
  const { fields, files } = readFields(ctx);
  const data = files.get('media')?.data ?? decodeBase64(fields.get('media_data'));
  return appendSegment(ctx, ctx.params.id ?? '', fields.get('segment_index'), data);
}

function decodeBase64(value: string | undefined): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(value, 'base64');
}

function describe(media: EmulatedMedia, size: number) {
  const data: Record<string, unknown> = {
    id: media.id,
    media_key: media.mediaKey,
    size,
    expires_after_secs: EXPIRES_AFTER_SECS,
  };
  if (media.type === 'photo') data.image = { image_type: media.mimeType, w: media.width, h: media.height };
  return data;
}

function finalizeMedia(ctx: HandlerContext, id: string) {
  const media = ctx.services.state.mediaById(id);
  if (media?.state !== 'uploading') return mediaIdError(id);
  const indexes = [...media.segments.keys()].sort((a, b) => a - b);
  const data = Buffer.concat(indexes.map((i) => media.segments.get(i) as Buffer));
  if (media.totalBytes !== undefined && data.length !== media.totalBytes) {
    return invalidRequest([{ message: 'Segments do not add up to provided total file size.' }]);
  }
  media.data = data;
  media.segments.clear();
  const size = readImageSize(data);
  if (size) {
    media.width = size.width;
    media.height = size.height;
  }
  const processing = media.type !== 'photo' && ctx.services.mediaProcessingSecs > 0;
  media.state = processing ? 'processing' : 'ready';
  const described = describe(media, data.length);
  if (processing) {
    described.processing_info = { state: 'pending', check_after_secs: ctx.services.mediaProcessingSecs };
  }
  return json(200, { data: described });
}

function finalize(ctx: HandlerContext) {
  return finalizeMedia(ctx, ctx.params.id ?? '');
}

function status(ctx: HandlerContext) {
  const id = ctx.search.get('media_id') ?? '';
  const command = ctx.search.get('command');
  if (command !== 'STATUS') return invalidParameter('command', command ?? '', 'command must be STATUS');
  const media = ctx.services.state.mediaById(id);
  if (!media || media.state === 'uploading') return mediaIdError(id);
  // Processing finishes the first time the client asks after FINALIZE.
  media.state = 'ready';
  return json(200, {
    data: {
      id: media.id,
      media_key: media.mediaKey,
      processing_info: { state: 'succeeded', progress_percent: 100 },
    },
  });
}

/** X's limit on alt text, in characters. */
const MAX_ALT_TEXT = 1000;

const MetadataBody = z.strictObject({
  id: z.string().regex(/^\d{1,19}$/, 'must match ^[0-9]{1,19}$'),
  metadata: z.strictObject({
    alt_text: z.strictObject({ text: z.string() }).optional(),
    allow_download_status: z.strictObject({ allow_download: z.boolean() }).optional(),
    content_expiration: z.strictObject({ timestamp_sec: z.number() }).optional(),
    found_media_origin: z.strictObject({ id: z.string(), provider: z.string() }).optional(),
    sensitive_media_warning: z
      .strictObject({
        adult_content: z.boolean().optional(),
        graphic_violence: z.boolean().optional(),
        other: z.boolean().optional(),
      })
      .optional(),
    shared_info: z.strictObject({ shared: z.boolean() }).optional(),
    sticker_info: z.strictObject({ stickers: z.array(z.unknown()) }).optional(),
    upload_source: z.strictObject({ upload_source: z.string() }).optional(),
  }),
});

/**
 * `POST /2/media/metadata` (twitter-api-v2's `createMediaMetadata`): alt text for a photo or GIF
 * the caller uploaded. Answers `{ data: { id, associated_metadata } }`; the alt text then shows in
 * `media.fields=alt_text`.
 */
function metadata(ctx: HandlerContext) {
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  const body = parseJsonBody(ctx, MetadataBody);
  if (!body.ok) return body.reply;
  const { id, metadata: meta } = body.value;
  const media = ctx.services.state.mediaById(id);
  if (!media || media.state === 'uploading' || media.ownerId !== user.id) return mediaIdError(id);
  const altText = meta.alt_text?.text;
  if (altText !== undefined) {
    if ([...altText].length > MAX_ALT_TEXT) {
      return invalidParameter(
        'metadata.alt_text.text',
        altText.slice(0, 40),
        `Alt text must be at most ${MAX_ALT_TEXT} characters`,
      );
    }
    if (media.type === 'video') {
      return invalidRequest([{ message: 'Alt text is only supported for images and GIFs' }]);
    }
    media.altText = altText;
  }
  return json(200, {
    data: { id: media.id, associated_metadata: altText === undefined ? {} : { alt_text: { text: altText } } },
  });
}

/** The one-shot upload, and the older `command=INIT|APPEND|FINALIZE` form of the same URL. */
function upload(ctx: HandlerContext) {
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  const { fields, files } = readFields(ctx);
  const command = fields.get('command');
  if (command === 'INIT') {
    const media = initializeMedia(
      ctx,
      user.id,
      fields.get('media_type') ?? '',
      Number(fields.get('total_bytes') ?? 0),
      fields.get('media_category'),
    );
    if (isReply(media)) return media;
    return json(200, {
      data: { id: media.id, media_key: media.mediaKey, expires_after_secs: EXPIRES_AFTER_SECS },
    });
  }
  if (command === 'APPEND') {
    const data = files.get('media')?.data ?? decodeBase64(fields.get('media_data'));
    return appendSegment(ctx, fields.get('media_id') ?? '', fields.get('segment_index'), data);
  }
  if (command === 'FINALIZE') return finalizeMedia(ctx, fields.get('media_id') ?? '');
  if (command !== undefined)
    return invalidParameter('command', command, 'command must be INIT, APPEND or FINALIZE');

  const file = files.get('media');
  const data = file?.data ?? decodeBase64(fields.get('media_data'));
  if (!data || data.length === 0) return invalidRequest([{ message: 'media is required' }]);
  const mediaType = fields.get('media_type') ?? file?.contentType ?? sniffType(data);
  const media = initializeMedia(ctx, user.id, mediaType, data.length, fields.get('media_category'));
  if (isReply(media)) return media;
  media.segments.set(0, data);
  return finalizeMedia(ctx, media.id);
}

function sniffType(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg';
  if (data.length > 4 && data.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (data.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  return 'application/octet-stream';
}

export const mediaRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/2/media/upload/initialize',
    endpoint: 'media.upload.initialize',
    auth: 'user',
    handle: initialize,
  },
  {
    method: 'POST',
    pattern: '/2/media/upload/:id/append',
    endpoint: 'media.upload.append',
    auth: 'user',
    handle: append,
  },
  {
    method: 'POST',
    pattern: '/2/media/upload/:id/finalize',
    endpoint: 'media.upload.finalize',
    auth: 'user',
    handle: finalize,
  },
  { method: 'POST', pattern: '/2/media/upload', endpoint: 'media.upload', auth: 'user', handle: upload },
  {
    method: 'POST',
    pattern: '/2/media/metadata',
    endpoint: 'media.metadata',
    auth: 'user',
    handle: metadata,
  },
  {
    method: 'GET',
    pattern: '/2/media/upload',
    endpoint: 'media.upload.status',
    auth: 'user',
    handle: status,
  },
];

/** An uploaded image's dimensions, so rendered media report real sizes; none for a video or junk. */
function readImageSize(data: Buffer): { width: number; height: number } | undefined {
  try {
    const { width, height } = imageSize(data);
    return width && height ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}
