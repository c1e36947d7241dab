// @murmur/local-vision: Rekognition's image APIs answered by local models, in worker threads.
export { RekognitionError } from './errors.js';
export { AGE_SPREAD, comparedFace, faceDetail } from './faces.js';
export {
  type DescribeFace,
  faceSimilarity,
  GALLERY_CACHE_FILE,
  GALLERY_MATCH_THRESHOLD,
  Gallery,
  type GalleryMatch,
  type GalleryOptions,
  type KnownPerson,
  matchFace,
  personId,
} from './gallery.js';
export {
  DEFAULT_MIN_CONFIDENCE,
  detectLabelsFrom,
  labelName,
  objectConfidence,
  TEXT_LABEL,
} from './labels.js';
export {
  createLocalRekognition,
  LABEL_MODEL_VERSION,
  type LocalRekognition,
  type LocalRekognitionOptions,
  MAX_IMAGE_BYTES,
  MODERATION_MODEL_VERSION,
  TEXT_MODEL_VERSION,
} from './local-rekognition.js';
export type { DetectedFace, LabelsOutput, OcrLine, OcrWord, RatioBox, ReadyOutput } from './protocol.js';
export { DEFAULT_WORD_MIN_CONFIDENCE, MAX_WORDS, textDetectionsFrom } from './text.js';
