import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';

/**
 * Draws a deterministic test picture for a seed (a media key or file name): a gradient
 * background and two shapes in colours derived from the seed. Different media look
 * different, so a pipeline that mixes up images fails its tests.
 */
export function drawPicture(seed: string, width: number, height: number): Uint8Array {
  const hash = createHash('sha256').update(seed).digest();
  const color = (offset: number) =>
    [hash[offset] ?? 0, hash[offset + 1] ?? 0, hash[offset + 2] ?? 0] as const;
  const [r0, g0, b0] = color(0);
  const [r1, g1, b1] = color(3);
  const [rs, gs, bs] = color(6);
  const [rc, gc, bc] = color(9);
  const rect = {
    x0: Math.floor(width * 0.1),
    y0: Math.floor(height * 0.15),
    x1: Math.floor(width * 0.45),
    y1: Math.floor(height * 0.6),
  };
  const cx = width * 0.68;
  const cy = height * 0.55;
  const radius = Math.min(width, height) * 0.25;
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const t = height > 1 ? y / (height - 1) : 0;
    for (let x = 0; x < width; x++) {
      let r = r0 + (r1 - r0) * t;
      let g = g0 + (g1 - g0) * t;
      let b = b0 + (b1 - b0) * t;
      if (x >= rect.x0 && x < rect.x1 && y >= rect.y0 && y < rect.y1) [r, g, b] = [rs, gs, bs];
      if ((x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2) [r, g, b] = [rc, gc, bc];
      const p = (y * width + x) * 3;
      pixels[p] = r;
      pixels[p + 1] = g;
      pixels[p + 2] = b;
    }
  }
  return pixels;
}

const MAX_SIDE = 2048;
const cache = new Map<string, Buffer>();

/** A JPEG of the test picture; cached because the same media is fetched again and again. */
export function pictureJpeg(seed: string, width: number, height: number): Buffer {
  const w = Math.max(1, Math.min(MAX_SIDE, Math.round(width)));
  const h = Math.max(1, Math.min(MAX_SIDE, Math.round(height)));
  const key = `${seed}|${w}x${h}`;
  let encoded = cache.get(key);
  if (!encoded) {
    encoded = encodeJpeg(drawPicture(seed, w, h), w, h);
    if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
    cache.set(key, encoded);
  }
  return encoded;
}

/** RGB pixels -> a baseline JPEG (jpeg-js wants RGBA). */
export function encodeJpeg(rgb: Uint8Array, width: number, height: number, quality = 85): Buffer {
  if (rgb.length !== width * height * 3) {
    throw new Error(`pixel buffer of ${rgb.length} bytes does not match ${width}x${height} RGB`);
  }
  const rgba = Buffer.alloc(width * height * 4, 255);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i]!;
    rgba[j + 1] = rgb[i + 1]!;
    rgba[j + 2] = rgb[i + 2]!;
  }
  return jpeg.encode({ data: rgba, width, height }, quality).data;
}
