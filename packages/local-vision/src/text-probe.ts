// Whether an image holds printed words, from a quick OCR pass over a small greyscale copy. Photos
// without text read as a few short, unsure "words" (texture, edges); printed words read sure.
import type { OcrLine, TextProbe } from './protocol.js';

/** A probe word counts at this confidence: Rekognition's default DetectText word filter. */
export const PROBE_MIN_CONFIDENCE = 80;

/** Confident words of two or more letters or digits. */
export function probeText(lines: OcrLine[]): TextProbe {
  const words = lines
    .flatMap((line) => line.words)
    .filter((word) => word.confidence >= PROBE_MIN_CONFIDENCE && /[\p{L}\p{N}]{2,}/u.test(word.text));
  const confidence = words.length ? words.reduce((sum, word) => sum + word.confidence, 0) / words.length : 0;
  return { words: words.map((word) => word.text), confidence };
}
