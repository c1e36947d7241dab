import type { HandlerContext, Route } from '../context.js';
import type { Reply } from '../http-types.js';
import { pictureJpeg } from '../picture.js';
import { DEFAULT_PHOTO } from '../state.js';

/*
 * Stands in for pbs.twimg.com: serves seeded photos and video previews as generated JPEGs,
 * and uploaded media as the bytes Murmur uploaded. Public like pbs: no auth, no rate limit.
 */

const jpeg = (data: Buffer): Reply => ({ status: 200, raw: { contentType: 'image/jpeg', data } });
const notFound = (): Reply => ({
  status: 404,
  raw: { contentType: 'text/plain', data: Buffer.from('Not Found') },
});

function media(ctx: HandlerContext): Reply {
  const path = `/media/${ctx.params.file ?? ''}`;
  const state = ctx.services.state;
  const found = state.mediaByPath(path);
  if (found) {
    const { media: m, preview } = found;
    if (preview) return jpeg(pictureJpeg(`${m.mediaKey}_preview`, m.width, m.height));
    if (m.data) return { status: 200, raw: { contentType: m.mimeType, data: m.data } };
    if (m.type === 'photo') return jpeg(pictureJpeg(m.mediaKey, m.width, m.height));
    return notFound();
  }
  if (!/\.(jpe?g|png)$/i.test(path)) return notFound();
  // Photos named only in Account Activity payloads: any name draws a picture, at its registered size.
  const size = state.hostedImages.get(path) ?? DEFAULT_PHOTO;
  return jpeg(pictureJpeg(path, size.width, size.height));
}

function profileImage(ctx: HandlerContext): Reply {
  return jpeg(pictureJpeg(`profile:${ctx.params.id ?? ''}`, 48, 48));
}

export const mediaHostRoutes: Route[] = [
  { method: 'GET', pattern: '/media/:file', endpoint: null, auth: 'none', handle: media },
  { method: 'GET', pattern: '/profile_images/:id/:file', endpoint: null, auth: 'none', handle: profileImage },
];
