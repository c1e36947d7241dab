// What decides which AI calls a message gets. Shared by the ASL document (Choice rules) and the
// PrepareMessage step, so the two never disagree.

/** Languages Comprehend's DetectSentiment, DetectEntities and DetectKeyPhrases accept. */
export const COMPREHEND_LANGUAGES = [
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'ar',
  'hi',
  'ja',
  'ko',
  'zh',
  'zh-TW',
] as const;

/** DetectLabels names that mean "there are words to read": only then is DetectText called. */
export const TEXT_LABELS = [
  'Text',
  'Document',
  'Page',
  'Poster',
  'Sign',
  'Label',
  'Menu',
  'Newspaper',
  'Book',
  'Letter',
  'Advertisement',
  'Screenshot',
  'Banner',
  'Word',
] as const;

/** DetectLabels names that mean "there may be a face": only then are RecognizeCelebrities and DetectFaces called. */
export const PERSON_LABELS = [
  'Person',
  'Human',
  'Face',
  'Head',
  'Man',
  'Woman',
  'Boy',
  'Girl',
  'Child',
  'Baby',
  'Adult',
  'Portrait',
  'Selfie',
  'Crowd',
] as const;

/** X's `lang` values that carry no language: Comprehend must detect it. */
const UNKNOWN_X_LANGUAGES = new Set(['und', 'qme', 'qht', 'qam', 'qct', 'qst', 'zxx', 'art']);

const MENTION_OR_URL = /(?:^|\s)@\w{1,50}|https?:\/\/\S+/gu;
const WORD = /[\p{L}\p{N}]/u;
const ANY_CONTENT = /[^\s\p{P}]/u;

export interface TextPlan {
  /**
   * The text as sent to Comprehend: X handles and links blanked out (they carry no meaning), with
   * spaces of the same length, so Comprehend's offsets still point into the original text.
   */
  text: string;
  /** Sentiment is worth asking for (there is something besides handles and links). */
  sentiment: boolean;
  /** There are words (not only emoji or symbols): entities, key phrases and toxicity can add something. */
  words: boolean;
  /** X gave no usable language: ask DetectDominantLanguage (only when there are words). */
  detectLanguage: boolean;
  /** The language to call Comprehend with, when known without detecting it. */
  languageCode: string | null;
  /** Whether DetectToxicContent may be called at all (it exists only in some regions). */
  toxicity: boolean;
}

export function planText(rawText: string, xLang: string | undefined, toxicity: boolean): TextPlan {
  const text = rawText.replace(MENTION_OR_URL, (match) => ' '.repeat(match.length));
  const words = WORD.test(text);
  const sentiment = ANY_CONTENT.test(text);
  const knownLang = xLang && !UNKNOWN_X_LANGUAGES.has(xLang) ? xLang : null;
  // Emoji carry sentiment in any language; Comprehend reads them with its English model.
  const languageCode = knownLang ?? (sentiment && !words ? 'en' : null);
  return {
    text,
    sentiment,
    words,
    detectLanguage: words && languageCode === null,
    languageCode,
    toxicity,
  };
}
