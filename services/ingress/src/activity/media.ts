// Media for MESSAGE_RECEIVED: every photo, video and GIF, with the image the analysis downloads.
import type { Media } from '@murmur/events';
import { arrayAt, httpUrl, isObject, objectAt, positiveInt, stringAt } from './x-values.js';

/** MESSAGE_RECEIVED holds at most 4: X allows 4 photos, or 1 video or GIF, per tweet. */
export const MAX_MEDIA = 4;

const MEDIA_TYPES = new Set<Media['type']>(['photo', 'video', 'animated_gif']);

function mediaType(value: unknown): Media['type'] | undefined {
  return MEDIA_TYPES.has(value as Media['type']) ? (value as Media['type']) : undefined;
}

function withOptional(media: Media, extra: { width?: number; height?: number; altText?: string }): Media {
  if (extra.width !== undefined && extra.height !== undefined) {
    media.width = extra.width;
    media.height = extra.height;
  }
  if (extra.altText !== undefined && extra.altText !== '') media.altText = extra.altText;
  return media;
}

/**
 * A v1.1 media entity. `media_url_https` is the photo itself, or the still preview of a video or
 * GIF, which is what the schema's `url` means. Size from `original_info` (the upload's size, as
 * v2's width/height) before `sizes.large`, so webhook and polling agree.
 */
export function mediaFromV1(entity: unknown, note: (why: string) => void): Media | undefined {
  if (!isObject(entity)) {
    note('media entity is not an object');
    return undefined;
  }
  const type = mediaType(entity.type);
  const url = httpUrl(entity.media_url_https) ?? httpUrl(entity.media_url);
  const mediaKey = stringAt(entity, 'media_key') || stringAt(entity, 'id_str');
  if (!type || !url || !mediaKey) {
    note(
      `media ${mediaKey ?? '(no id)'} skipped: ${!type ? `type ${JSON.stringify(entity.type)}` : !url ? 'no image URL' : 'no media_key or id_str'}`,
    );
    return undefined;
  }
  const original = objectAt(entity, 'original_info');
  const large = objectAt(objectAt(entity, 'sizes'), 'large');
  const width = positiveInt(original?.width) ?? positiveInt(large?.w);
  const height = positiveInt(original?.height) ?? positiveInt(large?.h);
  return withOptional({ type, url, mediaKey }, { width, height, altText: stringAt(entity, 'ext_alt_text') });
}

/**
 * Where a v1.1 tweet keeps its media: `extended_entities` holds every item (up to 4 photos),
 * `entities.media` only the first. A truncated tweet keeps both inside `extended_tweet`.
 */
export function v1MediaEntities(tweet: unknown): unknown[] {
  const extended = objectAt(tweet, 'extended_tweet');
  const sources = [
    arrayAt(objectAt(extended, 'extended_entities'), 'media'),
    arrayAt(objectAt(tweet, 'extended_entities'), 'media'),
    arrayAt(objectAt(extended, 'entities'), 'media'),
    arrayAt(objectAt(tweet, 'entities'), 'media'),
  ];
  return sources.find((list) => list !== undefined && list.length > 0) ?? [];
}

/** A v2 `includes.media` object: `url` for photos, `preview_image_url` for videos and GIFs. */
export function mediaFromV2(object: unknown, note: (why: string) => void): Media | undefined {
  if (!isObject(object)) {
    note('media object is not an object');
    return undefined;
  }
  const type = mediaType(object.type);
  const url = type === 'photo' ? httpUrl(object.url) : httpUrl(object.preview_image_url);
  const mediaKey = stringAt(object, 'media_key');
  if (!type || !url || !mediaKey) {
    note(
      `media ${mediaKey ?? '(no key)'} skipped: ${!type ? `type ${JSON.stringify(object.type)}` : !url ? 'no image URL' : 'no media_key'}`,
    );
    return undefined;
  }
  return withOptional(
    { type, url, mediaKey },
    {
      width: positiveInt(object.width),
      height: positiveInt(object.height),
      altText: stringAt(object, 'alt_text'),
    },
  );
}

/** Keeps the first MAX_MEDIA, saying so if X sent more. */
export function capMedia(media: Media[], note: (why: string) => void): Media[] {
  if (media.length <= MAX_MEDIA) return media;
  note(`${media.length} media items, kept the first ${MAX_MEDIA}`);
  return media.slice(0, MAX_MEDIA);
}
