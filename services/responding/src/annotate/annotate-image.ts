// Draws the names of recognised people next to their faces, boxes unrecognised ones (or blurs
// them), and returns a new JPEG. The original is never touched: the caller stores the result
// under its own key, and the same input always gives the same bytes, so a retry changes nothing.
import type { CelebritySchema, ComparedFaceSchema } from '@murmur/events';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import type { z } from 'zod';

type Celebrity = z.infer<typeof CelebritySchema>;
type Face = z.infer<typeof ComparedFaceSchema>;

export interface AnnotateInput {
  image: Uint8Array;
  celebrities: readonly Celebrity[];
  unrecognized: readonly Face[];
  blurUnrecognized: boolean;
}

/** The image cannot be decoded or drawn on: reported, and the reply goes out without it. */
export class ImageAnnotationError extends Error {
  override readonly name = 'ImageCannotBeAnnotated';
}

interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

function toPixels(box: Face['BoundingBox'], width: number, height: number): PixelBox | null {
  const left = Math.max(0, Math.round(box.Left * width));
  const top = Math.max(0, Math.round(box.Top * height));
  const right = Math.min(width, Math.round((box.Left + box.Width) * width));
  const bottom = Math.min(height, Math.round((box.Top + box.Height) * height));
  if (right - left < 2 || bottom - top < 2) return null;
  return { left, top, width: right - left, height: bottom - top };
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

export async function annotateImage(input: AnnotateInput): Promise<Uint8Array> {
  let width: number;
  let height: number;
  let base: Sharp;
  try {
    // EXIF orientation applied first, so boxes land where Rekognition saw the faces.
    const decoded = await sharp(input.image).rotate().toBuffer({ resolveWithObject: true });
    width = decoded.info.width;
    height = decoded.info.height;
    base = sharp(decoded.data);
  } catch (error) {
    throw new ImageAnnotationError(`the image cannot be decoded: ${(error as Error).message}`);
  }
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 250));
  const fontSize = Math.max(14, Math.round(Math.min(width, height) / 28));
  const shapes: string[] = [];
  const blurs: OverlayOptions[] = [];

  for (const celebrity of input.celebrities) {
    const box = toPixels(celebrity.Face.BoundingBox, width, height);
    if (!box) continue;
    const label = escapeXml(celebrity.Name);
    const labelWidth = Math.round(label.length * fontSize * 0.6) + fontSize;
    const labelTop = box.top >= fontSize * 1.6 ? box.top - fontSize * 1.6 : box.top + box.height;
    shapes.push(
      `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="#ffd400" stroke-width="${stroke}"/>`,
      `<rect x="${box.left}" y="${labelTop}" width="${labelWidth}" height="${fontSize * 1.6}" fill="#000000" fill-opacity="0.7"/>`,
      `<text x="${box.left + fontSize / 2}" y="${labelTop + fontSize * 1.15}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="#ffffff">${label}</text>`,
    );
  }
  for (const face of input.unrecognized) {
    const box = toPixels(face.BoundingBox, width, height);
    if (!box) continue;
    if (input.blurUnrecognized) {
      const region = await base
        .clone()
        .extract(box)
        .blur(Math.max(8, box.width / 6))
        .toBuffer();
      blurs.push({ input: region, left: box.left, top: box.top });
    } else {
      shapes.push(
        `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="#ffffff" stroke-width="${stroke}" stroke-dasharray="${stroke * 3}"/>`,
      );
    }
  }
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`,
  );
  try {
    return await base
      .composite([...blurs, { input: svg, left: 0, top: 0 }])
      .jpeg({ quality: 85 })
      .toBuffer();
  } catch (error) {
    throw new ImageAnnotationError(`the image cannot be annotated: ${(error as Error).message}`);
  }
}

/** Every annotated copy is written under this prefix (IAM on AWS allows writes only there). */
export const ANNOTATED_KEY_PREFIX = 'annotated/';

/** Where the annotated copy of `originalKey` goes: a new object, never the original's key. */
export function annotatedKey(originalKey: string): string {
  return `${ANNOTATED_KEY_PREFIX}${originalKey.replace(/^media\//, '').replace(/\.[A-Za-z0-9]+$/, '')}.jpg`;
}
