// @murmur/local-nlp: Comprehend's real-time text APIs on local models, with Comprehend's shapes.
export { ComprehendError, type ComprehendErrorName } from './errors.js';
export { NO_LETTERS_SCORE } from './language.js';
export {
  COMPREHEND_LIMITS,
  createLocalComprehend,
  LOCAL_COMPREHEND_LANGUAGES,
  type LocalComprehend,
} from './local-comprehend.js';
export { SENTIMENT_READ_CHARS } from './sentiment.js';
