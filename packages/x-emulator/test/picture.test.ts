import { describe, expect, it } from '@jest/globals';
import jpeg from 'jpeg-js';
import { drawPicture, encodeJpeg, pictureJpeg } from '../src/picture.js';

describe('the test pictures the media host serves', () => {
  it('are real JPEGs of the drawn picture, at the asked size', () => {
    const pixels = drawPicture('seed', 37, 21);
    const decoded = jpeg.decode(encodeJpeg(pixels, 37, 21, 100), { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([37, 21]);
    // Lossy, but close: compare the centre pixel of the drawn and decoded pictures.
    const p = (10 * 37 + 18) * 3;
    const q = (10 * 37 + 18) * 4;
    for (let c = 0; c < 3; c++)
      expect(Math.abs(decoded.data[q + c]! - pixels[p + c]!)).toBeLessThanOrEqual(8);
  });

  it('differ between seeds, and are the same for the same seed', () => {
    expect(pictureJpeg('a', 32, 32).equals(pictureJpeg('a', 32, 32))).toBe(true);
    expect(pictureJpeg('a', 32, 32).equals(pictureJpeg('b', 32, 32))).toBe(false);
  });

  it('refuse a pixel buffer that does not match the size', () => {
    expect(() => encodeJpeg(new Uint8Array(10), 2, 2)).toThrow(/does not match/);
  });
});
