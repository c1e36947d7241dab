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

/**
 * The calls an operator may leave out, to pay only for what the bot uses. DetectDominantLanguage
 * (when X gives no language), DetectSentiment and DetectLabels are always made: everything else
 * hangs on them. Each of these is still made only where it can add something (words to read, a
 * person in the photo...).
 */
export const OPTIONAL_CALLS = [
  /** Comprehend DetectEntities: `analysis.textEntities`. */
  'entities',
  /** Comprehend DetectKeyPhrases: `analysis.keyPhrases`. */
  'keyPhrases',
  /** Comprehend DetectToxicContent (English; a few AWS regions): `analysis.toxicity`. */
  'toxicity',
  /** Rekognition DetectText, when the labels show text: `textDetections`. */
  'text',
  /** Rekognition RecognizeCelebrities, when the labels show a person: `celebrityFaces`, `unrecognizedFaces`. */
  'celebrities',
  /** Rekognition DetectFaces, when the labels show a person: `faceDetails` (age, emotions). */
  'faces',
  /** Rekognition DetectModerationLabels: `moderationLabels`. */
  'moderation',
] as const;
export type OptionalCall = (typeof OPTIONAL_CALLS)[number];

/** The AWS API (IAM action) behind each optional call: the state machine may call only those on. */
export const OPTIONAL_CALL_ACTIONS: Readonly<Record<OptionalCall, string>> = {
  entities: 'comprehend:DetectEntities',
  keyPhrases: 'comprehend:DetectKeyPhrases',
  toxicity: 'comprehend:DetectToxicContent',
  text: 'rekognition:DetectText',
  celebrities: 'rekognition:RecognizeCelebrities',
  faces: 'rekognition:DetectFaces',
  moderation: 'rekognition:DetectModerationLabels',
};

/** Which optional calls are on. */
export type AnalysisCalls = Readonly<Record<OptionalCall, boolean>>;

/** Named plans; see docs/cost.md for what each costs against the reference design. */
export const CALL_PRESETS = {
  /** What the bot itself answers with: the words in a photo and the people in it. */
  lean: ['text', 'celebrities'],
  /** The reference design's fields (its entities too), each call only where it can add something. */
  standard: ['entities', 'text', 'celebrities'],
  /** Everything Murmur can ask for. */
  full: OPTIONAL_CALLS,
} as const satisfies Record<string, readonly OptionalCall[]>;
export type CallPreset = keyof typeof CALL_PRESETS;

export const DEFAULT_CALL_PLAN = 'standard';

export class CallPlanError extends Error {
  override readonly name = 'CallPlanError';
}

/**
 * `MURMUR_ANALYSIS_CALLS`: presets and call names, comma-separated, added up; `-name` takes one
 * away. E.g. `standard`, `lean,moderation`, `full,-faces`. Empty means the default plan.
 */
export function parseCallPlan(spec: string | undefined): AnalysisCalls {
  const items = (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const on = new Set<OptionalCall>();
  const off = new Set<OptionalCall>();
  const known = (name: string): name is OptionalCall => (OPTIONAL_CALLS as readonly string[]).includes(name);
  for (const item of items.length > 0 ? items : [DEFAULT_CALL_PLAN]) {
    const removed = item.startsWith('-');
    const name = removed ? item.slice(1) : item;
    if (!removed && name in CALL_PRESETS) {
      for (const call of CALL_PRESETS[name as CallPreset]) on.add(call);
    } else if (known(name)) {
      (removed ? off : on).add(name);
    } else {
      throw new CallPlanError(
        `unknown analysis call "${item}": use the presets ${Object.keys(CALL_PRESETS).join(', ')} ` +
          `or the calls ${OPTIONAL_CALLS.join(', ')} (prefix - to leave one out)`,
      );
    }
  }
  return Object.fromEntries(OPTIONAL_CALLS.map((c) => [c, on.has(c) && !off.has(c)])) as AnalysisCalls;
}

/** The plan as `parseCallPlan` reads it back: the names of the calls that are on. */
export function formatCallPlan(calls: AnalysisCalls): string {
  return OPTIONAL_CALLS.filter((c) => calls[c]).join(',');
}

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
  /** DetectEntities is in the plan and there are words. */
  entities: boolean;
  /** DetectKeyPhrases is in the plan and there are words. */
  keyPhrases: boolean;
  /** DetectToxicContent is in the plan (the document also asks for English words). */
  toxicity: boolean;
}

export function planText(rawText: string, xLang: string | undefined, calls: AnalysisCalls): TextPlan {
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
    entities: words && calls.entities,
    keyPhrases: words && calls.keyPhrases,
    toxicity: calls.toxicity,
  };
}

/** Per photo: which calls the plan allows; the labels then decide whether each can add something. */
export interface PhotoPlan {
  text: boolean;
  celebrities: boolean;
  faces: boolean;
  moderation: boolean;
}

export function planPhoto(calls: AnalysisCalls): PhotoPlan {
  return {
    text: calls.text,
    celebrities: calls.celebrities,
    faces: calls.faces,
    moderation: calls.moderation,
  };
}
