// tesseract's lines and words -> DetectText's `TextDetections`, filtered the way Rekognition filters.
import type { BoundingBox, DetectTextFilters, TextDetection } from '@aws-sdk/client-rekognition';
import { type OcrLine, type OcrWord, type RatioBox, ratio, ratioBox } from './protocol.js';

/** Rekognition's default `Filters.WordFilter.MinConfidence`. */
export const DEFAULT_WORD_MIN_CONFIDENCE = 80;
/** DetectText reads up to 100 words of an image. */
export const MAX_WORDS = 100;

const overlap = (a: RatioBox, b: BoundingBox): number => {
  const left = Math.max(a.Left, b.Left ?? 0);
  const top = Math.max(a.Top, b.Top ?? 0);
  const right = Math.min(a.Left + a.Width, (b.Left ?? 0) + (b.Width ?? 0));
  const bottom = Math.min(a.Top + a.Height, (b.Top ?? 0) + (b.Height ?? 0));
  return Math.max(0, right - left) * Math.max(0, bottom - top);
};

function regionBox(region: {
  BoundingBox?: BoundingBox;
  Polygon?: { X?: number; Y?: number }[];
}): BoundingBox | null {
  if (region.BoundingBox) return region.BoundingBox;
  const points = region.Polygon ?? [];
  if (points.length === 0) return null;
  const xs = points.map((p) => p.X ?? 0);
  const ys = points.map((p) => p.Y ?? 0);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return { Left: left, Top: top, Width: Math.max(...xs) - left, Height: Math.max(...ys) - top };
}

function keepWord(filters: DetectTextFilters | undefined): (word: OcrWord) => boolean {
  const min = filters?.WordFilter?.MinConfidence ?? DEFAULT_WORD_MIN_CONFIDENCE;
  const minHeight = filters?.WordFilter?.MinBoundingBoxHeight ?? 0;
  const minWidth = filters?.WordFilter?.MinBoundingBoxWidth ?? 0;
  const regions = (filters?.RegionsOfInterest ?? []).map(regionBox).filter((r) => r !== null);
  return (word) =>
    word.confidence >= min &&
    word.box.Height >= minHeight &&
    word.box.Width >= minWidth &&
    // As Rekognition: a word is in a region when more than half of it is.
    (regions.length === 0 ||
      regions.some((r) => overlap(word.box, r) > (word.box.Width * word.box.Height) / 2));
}

const union = (boxes: RatioBox[]): RatioBox => {
  const left = Math.min(...boxes.map((b) => b.Left));
  const top = Math.min(...boxes.map((b) => b.Top));
  const right = Math.max(...boxes.map((b) => b.Left + b.Width));
  const bottom = Math.max(...boxes.map((b) => b.Top + b.Height));
  return ratioBox(left, top, right - left, bottom - top);
};

const geometry = (box: RatioBox) => ({
  BoundingBox: { ...box },
  Polygon: [
    { X: box.Left, Y: box.Top },
    { X: ratio(box.Left + box.Width), Y: box.Top },
    { X: ratio(box.Left + box.Width), Y: ratio(box.Top + box.Height) },
    { X: box.Left, Y: ratio(box.Top + box.Height) },
  ],
});

const confidence = (n: number) => Math.round(n * 1000) / 1000;

/** LINE entries first (Ids 0..), then their WORDs (each with the line's Id as ParentId), as Rekognition orders them. */
export function textDetectionsFrom(lines: OcrLine[], filters?: DetectTextFilters): TextDetection[] {
  const keep = keepWord(filters);
  let budget = MAX_WORDS;
  const kept: OcrWord[][] = [];
  for (const line of lines) {
    const words = line.words.filter(keep).slice(0, budget);
    budget -= words.length;
    if (words.length > 0) kept.push(words);
  }
  const lineDetections: TextDetection[] = kept.map((words, id) => ({
    DetectedText: words.map((w) => w.text).join(' '),
    Type: 'LINE',
    Id: id,
    Confidence: confidence(words.reduce((sum, w) => sum + w.confidence, 0) / words.length),
    Geometry: geometry(union(words.map((w) => w.box))),
  }));
  let nextId = kept.length;
  const wordDetections: TextDetection[] = kept.flatMap((words, parentId) =>
    words.map((w) => ({
      DetectedText: w.text,
      Type: 'WORD',
      Id: nextId++,
      ParentId: parentId,
      Confidence: confidence(w.confidence),
      Geometry: geometry(w.box),
    })),
  );
  return [...lineDetections, ...wordDetections];
}
