// DetectKeyPhrases as Comprehend does it: noun phrases, with their determiners and modifiers
// ("the worst service", "a software engineer", "3 hours"), chunked from wink's part-of-speech tags.
import type { KeyPhrase } from '@aws-sdk/client-comprehend';
import type { Wink } from './models.js';
import { NON_LANGUAGE_TYPES, type Token, tokensOf } from './wink-tokens.js';

/** Fixed, like entities.ts: a phrase with a noun is likelier a real key phrase than a lone number. */
const SCORE_WITH_NOUN = 0.9;
const SCORE_NUMBER_ONLY = 0.8;

const POSSESSIVES = new Set(['my', 'your', 'his', 'her', 'its', 'our', 'their']);
const HEADS = new Set(['NOUN', 'PROPN', 'NUM']);
const MODIFIERS = new Set(['ADJ', 'NOUN', 'PROPN', 'NUM']);
const SKIPPED_TYPES = new Set([...NON_LANGUAGE_TYPES, 'emoji', 'emoticon', 'punctuation', 'symbol']);

function canOpen(token: Token): boolean {
  return token.pos === 'DET' || (token.pos === 'PRON' && POSSESSIVES.has(token.normal)) || canContinue(token);
}

function canContinue(token: Token): boolean {
  return MODIFIERS.has(token.pos) && !SKIPPED_TYPES.has(token.type);
}

/** Maximal runs of determiner? modifier* head, where the run must end on a noun, name or number. */
function chunks(tokens: Token[]): Token[][] {
  const found: Token[][] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i]!;
    if (SKIPPED_TYPES.has(first.type) || !canOpen(first)) {
      i += 1;
      continue;
    }
    const run = [first];
    let j = i + 1;
    while (j < tokens.length) {
      const t = tokens[j]!;
      // "Bank of America": "of" joins two names.
      const joinsNames = t.normal === 'of' && run.at(-1)?.pos === 'PROPN' && tokens[j + 1]?.pos === 'PROPN';
      if (!canContinue(t) && !joinsNames) break;
      run.push(t);
      j += 1;
    }
    while (run.length > 0 && !HEADS.has(run.at(-1)!.pos)) run.pop();
    if (run.some((t) => HEADS.has(t.pos))) found.push(run);
    i = j;
  }
  return found;
}

/** wink entities that read as one unit inside a phrase: "July 5th, 1994", "$5 million", "3 hours". */
const UNIT_ENTITIES = new Set(['DATE', 'TIME', 'DURATION', 'CARDINAL', 'ORDINAL', 'MONEY', 'PERCENT']);
/** wink keeps "I'm" whole and tags it a proper noun. */
const PRONOUN_CONTRACTION = /^(i|you|we|they|he|she|it|that|there)['’](m|re|s|ve|ll|d)$/;

/** The tokens, with each date or amount merged into one number-like token. */
function withUnits(wink: Wink, text: string): Token[] {
  const { doc } = wink.read(text);
  const tokens = tokensOf(wink.nlp, doc, text);
  const entities = doc.entities();
  const types = entities.out(wink.nlp.its.type) as unknown as string[];
  const spans = entities.out(wink.nlp.its.span) as unknown as [number, number][];
  const merged: Token[] = [];
  let next = 0;
  spans.forEach(([first, last], k) => {
    if (!UNIT_ENTITIES.has(types[k] ?? '') || first < next) return;
    merged.push(...tokens.slice(next, first));
    const begin = tokens[first]!.begin;
    const end = tokens[last]!.end;
    const unit = text.slice(begin, end);
    merged.push({
      ...tokens[first]!,
      text: unit,
      normal: unit.toLowerCase(),
      type: 'number',
      pos: 'NUM',
      end,
    });
    next = last + 1;
  });
  merged.push(...tokens.slice(next));
  return merged.filter((t) => !PRONOUN_CONTRACTION.test(t.normal));
}

export function detectKeyPhrases(wink: Wink, text: string): KeyPhrase[] {
  return chunks(withUnits(wink, text)).map((run) => {
    const begin = run[0]!.begin;
    const end = run.at(-1)!.end;
    const hasNoun = run.some((t) => t.pos === 'NOUN' || t.pos === 'PROPN');
    return {
      Score: hasNoun ? SCORE_WITH_NOUN : SCORE_NUMBER_ONLY,
      Text: text.slice(begin, end),
      BeginOffset: begin,
      EndOffset: end,
    };
  });
}
