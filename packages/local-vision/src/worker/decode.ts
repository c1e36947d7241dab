// Image bytes -> pixels for the models, refusing what Rekognition refuses.
import sharp, { type Sharp } from 'sharp';
import type { ImageErrorName, ImageSize } from '../protocol.js';

/** Rekognition reads JPEG and PNG only. */
const SUPPORTED_FORMATS = new Set(['jpeg', 'png']);

/** Decompression-bomb guard: more pixels than this is "too large", whatever the byte size. */
export const MAX_INPUT_PIXELS = 100_000_000;

// Memory over speed: the same image rarely comes twice to the decoder (results are cached).
sharp.cache(false);

export class ImageRejected extends Error {
  constructor(
    readonly code: ImageErrorName,
    message: string,
  ) {
    super(message);
  }
}

export interface RgbImage extends ImageSize {
  /** width * height * 3 bytes, row-major RGB. */
  data: Uint8Array;
}

/**
 * A sharp pipeline on the bytes, EXIF-rotated as Rekognition does (its boxes refer to the
 * upright image), no larger than `maxSide` on its longer side. `truncated`: a cut-off file fails
 * instead of decoding to a grey tail.
 */
function pipeline(bytes: Uint8Array, maxSide: number): Sharp {
  return sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
}

/** Map a sharp failure to the Rekognition error the same input gets on AWS. */
function rejected(error: unknown): ImageRejected {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new ImageRejected('ImageTooLargeException', `image has more than ${MAX_INPUT_PIXELS} pixels`);
  }
  return new ImageRejected('InvalidImageFormatException', `Request has invalid image format: ${message}`);
}

async function decoded<T>(bytes: Uint8Array, decode: () => Promise<T>): Promise<T> {
  let format: string | undefined;
  try {
    format = (await sharp(bytes).metadata()).format;
  } catch (error) {
    throw rejected(error);
  }
  if (!format || !SUPPORTED_FORMATS.has(format)) {
    throw new ImageRejected(
      'InvalidImageFormatException',
      `Request has unsupported image format ${format ?? 'unknown'}: JPEG and PNG only`,
    );
  }
  try {
    return await decode();
  } catch (error) {
    throw rejected(error);
  }
}

/** Check that the bytes are a whole JPEG or PNG, and return its upright size. */
export function checkImage(bytes: Uint8Array): Promise<ImageSize> {
  return decoded(bytes, async () => {
    // Decoding to a tiny size reads every scanline (truncation shows) at little cost.
    await pipeline(bytes, 64).raw().toBuffer();
    const { autoOrient } = await sharp(bytes).metadata();
    return { width: autoOrient.width, height: autoOrient.height };
  });
}

export function decodeRgb(bytes: Uint8Array, maxSide: number): Promise<RgbImage> {
  return decoded(bytes, async () => {
    const { data, info } = await pipeline(bytes, maxSide)
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
    };
  });
}

/** A greyscale PNG for tesseract (it reads encoded images); fast compression, it is read once. */
export function decodeGreyPng(bytes: Uint8Array, maxSide: number): Promise<{ png: Buffer } & ImageSize> {
  return decoded(bytes, async () => {
    const { data, info } = await pipeline(bytes, maxSide)
      .greyscale()
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  });
}
