import { describe, expect, it } from '@jest/globals';
import { TextDetectionSchema } from '@murmur/events';
import { MAX_WORDS, type OcrLine, textDetectionsFrom } from '../src/index.js';

const word = (text: string, confidence: number, left: number, top = 0.1, height = 0.05) => ({
  text,
  confidence,
  box: { Left: left, Top: top, Width: 0.1, Height: height },
});

const lines: OcrLine[] = [
  { words: [word('CITY', 96, 0.1), word('CAR', 95, 0.25), word('SHOW', 94, 0.4)] },
  { words: [word('~~', 20, 0.1, 0.5), word('Sunday', 90, 0.3, 0.5, 0.02)] },
  { words: [word('xx', 30, 0.6, 0.8)] },
];

describe('textDetectionsFrom', () => {
  it('lists LINEs first, then their WORDs with the line as parent, dropping unsure words', () => {
    const detections = textDetectionsFrom(lines);
    expect(detections.map((d) => [d.Type, d.Id, d.ParentId, d.DetectedText])).toEqual([
      ['LINE', 0, undefined, 'CITY CAR SHOW'],
      ['LINE', 1, undefined, 'Sunday'],
      ['WORD', 2, 0, 'CITY'],
      ['WORD', 3, 0, 'CAR'],
      ['WORD', 4, 0, 'SHOW'],
      ['WORD', 5, 1, 'Sunday'],
    ]);
    const line = detections[0]!;
    expect(line.Confidence).toBe(95);
    // The line's box spans its words.
    expect(line.Geometry!.BoundingBox).toEqual({ Left: 0.1, Top: 0.1, Width: 0.4, Height: 0.05 });
    expect(line.Geometry!.Polygon).toEqual([
      { X: 0.1, Y: 0.1 },
      { X: 0.5, Y: 0.1 },
      { X: 0.5, Y: 0.15 },
      { X: 0.1, Y: 0.15 },
    ]);
    for (const d of detections) expect(TextDetectionSchema.safeParse(d).success).toBe(true);
  });

  it('applies the word filter and regions of interest', () => {
    const texts = (filters: Parameters<typeof textDetectionsFrom>[1]) =>
      textDetectionsFrom(lines, filters)
        .filter((d) => d.Type === 'WORD')
        .map((d) => d.DetectedText);
    expect(texts({ WordFilter: { MinConfidence: 25 } })).toEqual(['CITY', 'CAR', 'SHOW', 'Sunday', 'xx']);
    expect(texts({ WordFilter: { MinBoundingBoxHeight: 0.03 } })).toEqual(['CITY', 'CAR', 'SHOW']);
    // More than half of a word must lie in a region: CAR (0.25-0.35) is in, CITY (0.1-0.2) is not.
    const region = { BoundingBox: { Left: 0.22, Top: 0, Width: 0.2, Height: 0.3 } };
    expect(texts({ RegionsOfInterest: [region] })).toEqual(['CAR']);
  });

  it(`reads no more than ${MAX_WORDS} words`, () => {
    const many: OcrLine[] = Array.from({ length: 30 }, () => ({
      words: Array.from({ length: 5 }, (_, i) => word(`w${i}`, 90, i / 10)),
    }));
    const detections = textDetectionsFrom(many);
    expect(detections.filter((d) => d.Type === 'WORD')).toHaveLength(MAX_WORDS);
    expect(detections.filter((d) => d.Type === 'LINE')).toHaveLength(MAX_WORDS / 5);
  });
});
