// DetectDominantLanguage from @nlpjs/language's trigram profiles, blended with common-word
// counts (language-words.ts) so short posts come out right.
import type { DetectDominantLanguageResponse, DominantLanguage } from '@aws-sdk/client-comprehend';
import { Language } from '@nlpjs/language';
import { COMMON_WORDS } from './language-words.js';

/**
 * The languages considered, as nlp.js's ISO 639-3 code -> the code Comprehend returns (ISO 639-1
 * where there is one). Only languages Comprehend detects and that are common on X: with all ~180
 * nlp.js profiles, short posts land on Tsonga or Haitian.
 */
const COMPREHEND_CODES: Readonly<Record<string, string>> = {
  // Scripts that nearly settle the language on their own.
  cmn: 'zh',
  jpn: 'ja',
  kor: 'ko',
  tha: 'th',
  ell: 'el',
  kat: 'ka',
  hye: 'hy',
  ben: 'bn',
  tel: 'te',
  tam: 'ta',
  guj: 'gu',
  kan: 'kn',
  mal: 'ml',
  pan: 'pa',
  sin: 'si',
  khm: 'km',
  // Arabic, Devanagari, Cyrillic, Hebrew and Ethiopic scripts.
  arb: 'ar',
  urd: 'ur',
  fas: 'fa',
  hin: 'hi',
  mar: 'mr',
  nep: 'ne',
  rus: 'ru',
  ukr: 'uk',
  bul: 'bg',
  bel: 'be',
  srp: 'sr',
  mkd: 'mk',
  kaz: 'kk',
  heb: 'he',
  amh: 'am',
  // Latin script.
  eng: 'en',
  spa: 'es',
  por: 'pt',
  fra: 'fr',
  deu: 'de',
  ita: 'it',
  nld: 'nl',
  swe: 'sv',
  dan: 'da',
  nob: 'no',
  fin: 'fi',
  pol: 'pl',
  ces: 'cs',
  slk: 'sk',
  ron: 'ro',
  hun: 'hu',
  tur: 'tr',
  ind: 'id',
  tgl: 'tl',
  vie: 'vi',
  cat: 'ca',
  glg: 'gl',
  hrv: 'hr',
  slv: 'sl',
  lit: 'lt',
  lav: 'lv',
  est: 'et',
  afr: 'af',
};
const ALLOW_LIST = Object.keys(COMPREHEND_CODES);

/**
 * Text with no letters at all (emoji, numbers, punctuation) carries no language. Comprehend must
 * still answer, and English is the model that reads emoji, so: English, with a score that says
 * there was no evidence.
 */
export const NO_LETTERS_SCORE = 0.1;

const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;
const HANDLE = /(^|[^\p{L}\p{N}_])@\w+/gu;
const NOT_A_WORD_CHARACTER = /[^\p{L}\p{M}'’\s]+/gu;
const LETTER = /\p{L}/u;

/** Sharper = a clearer winner; tuned so an unambiguous sentence scores ~0.9 and close calls ~0.5. */
const SOFTMAX_TEMPERATURE = 0.08;
const MIN_REPORTED_SCORE = 0.01;
const MAX_REPORTED_LANGUAGES = 3;

/** Handles, links, digits, punctuation and emoji say nothing about the language. */
function lettersOnly(text: string): string {
  return text
    .replace(URL, ' ')
    .replace(HANDLE, '$1 ')
    .replace(NOT_A_WORD_CHARACTER, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** How much the word counts weigh against the trigrams: most on a few words, least on long text. */
function wordWeight(wordCount: number): number {
  if (wordCount <= 3) return 0.6;
  if (wordCount <= 12) return 0.5;
  return 0.3;
}

export function detectDominantLanguage(text: string): DetectDominantLanguageResponse {
  const letters = lettersOnly(text);
  if (!LETTER.test(letters)) {
    return { Languages: [{ LanguageCode: 'en', Score: NO_LETTERS_SCORE }] };
  }

  const evidence = new Map<string, number>();
  const words = letters.toLowerCase().replace(/’/g, "'").split(' ');
  const weight = wordWeight(words.length);

  for (const [alpha3, relative] of Language.detectAll(letters, { minLength: 1, allowList: ALLOW_LIST })) {
    const code = COMPREHEND_CODES[alpha3];
    if (code && Number.isFinite(relative)) evidence.set(code, (1 - weight) * relative);
  }
  for (const [code, common] of Object.entries(COMMON_WORDS)) {
    const share = words.filter((w) => common.has(w)).length / words.length;
    if (share > 0) evidence.set(code, (evidence.get(code) ?? 0) + weight * share);
  }
  if (evidence.size === 0) {
    return { Languages: [{ LanguageCode: 'en', Score: NO_LETTERS_SCORE }] };
  }

  // Only the front-runners share the score; dozens of distant profiles would dilute it.
  const ranked = [...evidence].sort((a, b) => b[1] - a[1]).slice(0, 5);
  const best = ranked[0]![1];
  const weights = ranked.map(
    ([code, value]) => [code, Math.exp((value - best) / SOFTMAX_TEMPERATURE)] as const,
  );
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const languages: DominantLanguage[] = weights
    .map(([code, w]) => ({ LanguageCode: code, Score: w / total }))
    .filter((l, i) => i === 0 || l.Score >= MIN_REPORTED_SCORE)
    .slice(0, MAX_REPORTED_LANGUAGES);
  return { Languages: languages };
}
