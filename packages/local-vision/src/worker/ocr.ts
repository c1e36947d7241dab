// tesseract.js with the English LSTM model from @tesseract.js-data/eng, read from disk. Its own
// thread does the recognising, so OCR runs beside the tfjs models on a second core.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Tesseract from 'tesseract.js';
import { type OcrLine, type RatioBox, ratioBox } from '../protocol.js';

const require = createRequire(import.meta.url);
/** `4.0.0_best_int`: the LSTM-only model, what tesseract.js picks for OEM 1 (3 MB, not 11 with the legacy engine). */
const LANG_PATH = join(dirname(require.resolve('@tesseract.js-data/eng')), '4.0.0_best_int');
const LSTM_ONLY = 1;

export type Ocr = Tesseract.Worker;

export async function loadOcr(): Promise<Ocr> {
  const ocr = await Tesseract.createWorker('eng', LSTM_ONLY, {
    langPath: LANG_PATH,
    gzip: true,
    // Read the packaged file, never write a copy into the working directory.
    cacheMethod: 'none',
    logger: () => {},
    // Without a handler a failed job throws inside tesseract's message listener, which would kill
    // the thread; the job's own promise still rejects.
    errorHandler: () => {},
  });
  // tesseract's own diagnostics ("Image too small to scale!!") would go to the process's stderr.
  await ocr.setParameters({ debug_file: '/dev/null' });
  return ocr;
}

/**
 * tesseract retries unsure lines inverted (light text on dark). On a photo without text every
 * line is unsure, and the retry doubles the work: the quick probe skips it, a full read does not.
 */
export interface ReadOptions {
  invertUnsureLines: boolean;
}

/** The inversion setting each tesseract worker has now: setting it costs a round trip. */
const inverting = new WeakMap<Ocr, boolean>();

/** Lines of words, boxes as ratios of the image tesseract read. One call at a time per `ocr`. */
export async function readLines(
  ocr: Ocr,
  image: { png: Buffer; width: number; height: number },
  { invertUnsureLines }: ReadOptions,
): Promise<OcrLine[]> {
  if (inverting.get(ocr) !== invertUnsureLines) {
    await ocr.setParameters({ tessedit_do_invert: invertUnsureLines ? '1' : '0' });
    inverting.set(ocr, invertUnsureLines);
  }
  const { data } = await ocr.recognize(image.png, {}, { text: false, blocks: true });
  const box = (b: Tesseract.Bbox): RatioBox =>
    ratioBox(
      b.x0 / image.width,
      b.y0 / image.height,
      (b.x1 - b.x0) / image.width,
      (b.y1 - b.y0) / image.height,
    );
  const lines = (data.blocks ?? []).flatMap((block) =>
    block.paragraphs.flatMap((paragraph) => paragraph.lines),
  );
  return lines.map((line) => ({
    words: line.words
      .map((word) => ({ text: word.text.trim(), confidence: word.confidence, box: box(word.bbox) }))
      .filter((word) => word.text.length > 0),
  }));
}
