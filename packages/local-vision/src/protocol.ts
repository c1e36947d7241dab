// What the main thread asks a vision worker, and what the worker answers. Plain data: it crosses
// the thread boundary by structured clone. The worker answers in model terms (ratios, 0..1
// scores); the main thread shapes Rekognition responses from them, so they can be cached once and
// filtered per request.

/** A box as ratios of the image size, the way Rekognition's `BoundingBox` is. */
export interface RatioBox {
  Left: number;
  Top: number;
  Width: number;
  Height: number;
}

/** Six decimals: a millionth of the image is below any pixel, and 0.082 reads better than 0.08199999999999996. */
export const ratio = (n: number): number => Math.round(n * 1e6) / 1e6;

export const ratioBox = (left: number, top: number, width: number, height: number): RatioBox => ({
  Left: ratio(left),
  Top: ratio(top),
  Width: ratio(width),
  Height: ratio(height),
});

export type VisionTask =
  | { op: 'ready' }
  | { op: 'check'; bytes: Uint8Array }
  | { op: 'labels'; bytes: Uint8Array }
  | { op: 'faces'; bytes: Uint8Array }
  | { op: 'text'; bytes: Uint8Array };

/** Image errors Rekognition reports, by their AWS exception names. */
export type ImageErrorName = 'InvalidImageFormatException' | 'ImageTooLargeException';

/** An expected failure comes back as data: a custom Error's name does not survive the thread hop. */
export type VisionResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { name: ImageErrorName; message: string } };

export interface ImageSize {
  width: number;
  height: number;
}

export interface DetectedObject {
  /** COCO class name, as the model says it ("person", "cell phone"). */
  label: string;
  /** The detector's own score, 0..1. */
  score: number;
  box: RatioBox;
}

/** What the quick OCR pass found: enough to say whether the image holds printed words. */
export interface TextProbe {
  /** Words read with confidence (0..100) at or above the probe's bar. */
  words: string[];
  /** Mean confidence (0..100) of those words; 0 when there are none. */
  confidence: number;
}

export interface LabelsOutput {
  objects: DetectedObject[];
  text: TextProbe;
}

export type EmotionLabel = 'angry' | 'disgust' | 'fear' | 'happy' | 'sad' | 'surprise' | 'neutral';

export interface FacePoint {
  type: 'eyeLeft' | 'eyeRight' | 'nose' | 'mouthLeft' | 'mouthRight';
  x: number;
  y: number;
}

export interface DetectedFace {
  box: RatioBox;
  /** 0..1 */
  score: number;
  age: number;
  gender: 'female' | 'male' | 'unknown';
  /** How sure the model is of `gender`: 0 (coin toss) .. 1. */
  genderScore: number;
  emotions: { emotion: EmotionLabel; score: number }[];
  /** faceres descriptor (1024 numbers); empty when the model gave none. */
  embedding: number[];
  landmarks: FacePoint[];
  /** Degrees. */
  pose: { roll: number; yaw: number; pitch: number } | null;
}

export interface FacesOutput {
  faces: DetectedFace[];
}

export interface OcrWord {
  text: string;
  /** 0..100 */
  confidence: number;
  box: RatioBox;
}

export interface OcrLine {
  words: OcrWord[];
}

export interface TextOutput {
  lines: OcrLine[];
}

export interface ReadyOutput {
  /** Time the worker took to load its models, ms. */
  loadMs: { human: number; ocr: number; total: number };
  /** Resident set size of the whole process, bytes. */
  rss: number;
  /** tfjs tensors alive in the worker: constant between calls, or something leaks. */
  tensors: number;
}

export interface VisionOutputs {
  ready: ReadyOutput;
  check: ImageSize;
  labels: LabelsOutput;
  faces: FacesOutput;
  text: TextOutput;
}
