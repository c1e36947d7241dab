// Comprehend's real-time text APIs, answered by local models with the same request checks,
// response shapes and exception names, so the analysis state machine has one code path.
import type {
  DetectDominantLanguageRequest,
  DetectDominantLanguageResponse,
  DetectEntitiesRequest,
  DetectEntitiesResponse,
  DetectKeyPhrasesRequest,
  DetectKeyPhrasesResponse,
  DetectSentimentRequest,
  DetectSentimentResponse,
  DetectToxicContentRequest,
  DetectToxicContentResponse,
} from '@aws-sdk/client-comprehend';
import { detectEntities } from './entities.js';
import { assertLanguage, assertText, ComprehendError, utf8Bytes } from './errors.js';
import { detectKeyPhrases } from './key-phrases.js';
import { detectDominantLanguage } from './language.js';
import { loadCompromise, loadObscenity, loadWink } from './models.js';
import { detectSentiment } from './sentiment.js';
import { toxicityOf } from './toxicity.js';

/** Languages the local models read for sentiment, entities and key phrases (wink's model is English). */
export const LOCAL_COMPREHEND_LANGUAGES: readonly string[] = Object.freeze(['en']);

/** DetectToxicContent reads English only, on AWS too. */
const TOXICITY_LANGUAGES: readonly string[] = Object.freeze(['en']);

/** Comprehend's documented limits, in UTF-8 bytes ("KB" read as 1,000 bytes, as "5 KB" is 5,000). */
export const COMPREHEND_LIMITS = Object.freeze({
  dominantLanguageBytes: 100_000,
  sentimentBytes: 5_000,
  entitiesBytes: 100_000,
  keyPhrasesBytes: 100_000,
  toxicSegmentBytes: 1_000,
  toxicTotalBytes: 10_000,
  toxicSegments: 10,
});

export interface LocalComprehend {
  detectDominantLanguage(req: DetectDominantLanguageRequest): Promise<DetectDominantLanguageResponse>;
  detectSentiment(req: DetectSentimentRequest): Promise<DetectSentimentResponse>;
  detectEntities(req: DetectEntitiesRequest): Promise<DetectEntitiesResponse>;
  detectKeyPhrases(req: DetectKeyPhrasesRequest): Promise<DetectKeyPhrasesResponse>;
  detectToxicContent(req: DetectToxicContentRequest): Promise<DetectToxicContentResponse>;
}

function segmentsOf(req: DetectToxicContentRequest): string[] {
  const segments = req?.TextSegments;
  if (!Array.isArray(segments) || segments.length === 0) {
    throw new ComprehendError('InvalidRequestException', 'TextSegments must list at least one segment');
  }
  if (segments.length > COMPREHEND_LIMITS.toxicSegments) {
    throw new ComprehendError(
      'InvalidRequestException',
      `TextSegments lists ${segments.length} segments; the limit is ${COMPREHEND_LIMITS.toxicSegments}`,
    );
  }
  const texts = segments.map((segment, i) =>
    assertText(segment?.Text, COMPREHEND_LIMITS.toxicSegmentBytes, `TextSegments[${i}].Text`),
  );
  const total = texts.reduce((sum, text) => sum + utf8Bytes(text), 0);
  if (total > COMPREHEND_LIMITS.toxicTotalBytes) {
    throw new ComprehendError(
      'TextSizeLimitExceededException',
      `TextSegments hold ${total} bytes of UTF-8; the limit is ${COMPREHEND_LIMITS.toxicTotalBytes}`,
    );
  }
  return texts;
}

/**
 * The local stand-in for a Comprehend client. Models load on first use, once per process (wink
 * ~0.3 s, compromise ~1 s), and are shared by every instance.
 */
export function createLocalComprehend(): LocalComprehend {
  return {
    async detectDominantLanguage(req) {
      const text = assertText(req?.Text, COMPREHEND_LIMITS.dominantLanguageBytes);
      return detectDominantLanguage(text);
    },

    async detectSentiment(req) {
      const text = assertText(req?.Text, COMPREHEND_LIMITS.sentimentBytes);
      assertLanguage(req.LanguageCode, LOCAL_COMPREHEND_LANGUAGES);
      return detectSentiment(await loadWink(), text);
    },

    async detectEntities(req) {
      const text = assertText(req?.Text, COMPREHEND_LIMITS.entitiesBytes);
      assertLanguage(req.LanguageCode, LOCAL_COMPREHEND_LANGUAGES);
      const [wink, compromise] = await Promise.all([loadWink(), loadCompromise()]);
      return { Entities: detectEntities(wink, compromise, text) };
    },

    async detectKeyPhrases(req) {
      const text = assertText(req?.Text, COMPREHEND_LIMITS.keyPhrasesBytes);
      assertLanguage(req.LanguageCode, LOCAL_COMPREHEND_LANGUAGES);
      return { KeyPhrases: detectKeyPhrases(await loadWink(), text) };
    },

    async detectToxicContent(req) {
      const texts = segmentsOf(req);
      assertLanguage(req.LanguageCode, TOXICITY_LANGUAGES);
      const obscenity = await loadObscenity();
      return { ResultList: texts.map((text) => toxicityOf(obscenity, text)) };
    },
  };
}
