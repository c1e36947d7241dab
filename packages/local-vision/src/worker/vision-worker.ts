// The piscina task handler: one per worker thread, models loaded once when the thread starts.
// Answers are model results in plain data; the main thread shapes them into Rekognition responses.
// A worker takes several tasks at once: the tfjs models run on this thread and tesseract on its
// own, so a face pass and an OCR pass of the state machine's parallel branches use both cores.
// Each model takes one image at a time (human keeps per-call state; so does a tesseract worker).
import { performance } from 'node:perf_hooks';
import type { LabelsOutput, VisionOutputs, VisionResult, VisionTask } from '../protocol.js';
import { probeText } from '../text-probe.js';
import { checkImage, decodeGreyPng, decodeRgb, ImageRejected } from './decode.js';
import { detectFaces, detectObjects, loadHuman, tensorCount } from './human-models.js';
import { loadOcr, readLines } from './ocr.js';

/** centernet sees 512x512 whatever it is given: a larger decode only costs time. */
const OBJECTS_SIDE = 640;
/** The face detector works on the whole image, but mesh and faceres crop from these pixels. */
const FACES_SIDE = 1280;
/**
 * The quick pass that decides the "Text" label: big enough for sign- and headline-sized words,
 * small enough that a photo without text costs tens of milliseconds, not hundreds.
 */
const PROBE_SIDE = 480;
const OCR_SIDE = 1600;

const started = performance.now();
const since = () => Math.round(performance.now() - started);
const loadMs = { human: 0, ocr: 0, total: 0 };
const models = Promise.all([
  loadHuman().then((human) => {
    loadMs.human = since();
    return human;
  }),
  loadOcr().then((ocr) => {
    loadMs.ocr = since();
    return ocr;
  }),
]).then((loaded) => {
  loadMs.total = since();
  return loaded;
});
// A load failure is reported by every task that needs the models, not thrown into the thread.
models.catch(() => {});

/** Runs one job at a time, in call order. */
function oneAtATime() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const result = tail.then(job, job);
    tail = result.catch(() => {});
    return result;
  };
}
const humanTurn = oneAtATime();
const ocrTurn = oneAtATime();

export default async function handleVisionTask(
  task: VisionTask,
): Promise<VisionResult<VisionOutputs[VisionTask['op']]>> {
  try {
    return { ok: true, value: await perform(task) };
  } catch (error) {
    if (error instanceof ImageRejected)
      return { ok: false, error: { name: error.code, message: error.message } };
    throw error;
  }
}

async function perform(task: VisionTask): Promise<VisionOutputs[VisionTask['op']]> {
  if (task.op === 'check') return checkImage(task.bytes);
  const [human, ocr] = await models;
  switch (task.op) {
    case 'ready':
      return { loadMs: { ...loadMs }, rss: process.memoryUsage().rss, tensors: tensorCount(human) };
    case 'labels': {
      const [pixels, grey] = await Promise.all([
        decodeRgb(task.bytes, OBJECTS_SIDE),
        decodeGreyPng(task.bytes, PROBE_SIDE),
      ]);
      // tesseract reads in its own thread while centernet runs in this one.
      const [objects, lines] = await Promise.all([
        humanTurn(() => detectObjects(human, pixels)),
        ocrTurn(() => readLines(ocr, grey, { invertUnsureLines: false })),
      ]);
      return { objects, text: probeText(lines) } satisfies LabelsOutput;
    }
    case 'faces': {
      const pixels = await decodeRgb(task.bytes, FACES_SIDE);
      return { faces: await humanTurn(() => detectFaces(human, pixels)) };
    }
    case 'text': {
      const grey = await decodeGreyPng(task.bytes, OCR_SIDE);
      return { lines: await ocrTurn(() => readLines(ocr, grey, { invertUnsureLines: true })) };
    }
  }
}
