// DetectSentiment from wink's lexicon matches, weighed for short social text.
//
// Wink's own score averages the polarity of the sentiment words it finds, so a single mildly
// positive word makes a whole request "positive". Here the matches are summed into positive and
// negative evidence, each turned into the chance that the text is (at least partly) that way, and
// the two chances combined as if independent:
//   Positive = P+(1-P-), Negative = P-(1-P+), Mixed = P+P-, Neutral = (1-P+)(1-P-)
// which sums to 1 like Comprehend's SentimentScore.
import type { DetectSentimentResponse, SentimentType } from '@aws-sdk/client-comprehend';
import type { LexiconHit, Wink } from './models.js';
import {
  CONTRASTS,
  INTENSIFIER_FACTOR,
  INTENSIFIERS,
  NEGATION_IDIOMS,
  REQUEST_OPENERS,
  SCORE_OVERRIDES,
} from './sentiment-lexicon.js';
import { NON_LANGUAGE_TYPES, sentenceSpans, type Token, tokensOf } from './wink-tokens.js';

/** Comprehend reads only the first 500 characters of a DetectSentiment text. */
export const SENTIMENT_READ_CHARS = 500;

/** Evidence -> chance: one strong word (|0.6|) gives ~0.7, one mild word (|0.4|) ~0.55. */
const EVIDENCE_RATE = 2;
/** In questions and requests, positive words this mild or milder are not opinions… */
const MILD = 0.4;
/** …and stronger ones count half. */
const REQUEST_FACTOR = 0.5;
/** "great!" says more than "great". */
const EXCLAMATION_FACTOR = 1.2;

interface Opinion {
  token: number;
  score: number;
}

const VARIATION_SELECTOR = /\uFE0F/g;

function firstChars(text: string, count: number): string {
  if (text.length <= count) return text;
  const cut = text.slice(0, count);
  // Never end on half of a surrogate pair (an emoji).
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * "can't believe we won", "can't wait to see it": wink negates everything after "can't" up to the
 * next punctuation, which turns the excitement around. After these idioms, nothing is negated.
 */
function undoIdiomNegation(tokens: Token[]): void {
  tokens.forEach((token, i) => {
    if (!token.negated || !NEGATION_IDIOMS.has(token.normal)) return;
    if (!tokens[i - 1] || tokens[i - 1]!.negated) return;
    for (let j = i; j < tokens.length && tokens[j]!.negated; j += 1) tokens[j]!.negated = false;
  });
}

/** Wink's matches, corrected by the lexicon overrides, with negation applied. */
function opinionsOf(tokens: Token[], hits: LexiconHit[]): Map<number, number> {
  undoIdiomNegation(tokens);
  const opinions = new Map<number, number>();
  for (const hit of hits) {
    const token = tokens[hit.start];
    if (!token || NON_LANGUAGE_TYPES.has(token.type)) continue;
    // Negated tokens flip, as in wink. Its multi-word matches ("n't like") start on the negation
    // itself, which is not flagged, so their built-in negative score is not flipped back.
    opinions.set(hit.start, token.negated ? -hit.score : hit.score);
  }
  tokens.forEach((token, i) => {
    const override = SCORE_OVERRIDES.get(token.normal.replace(VARIATION_SELECTOR, ''));
    if (override === undefined) return;
    if (override === 0) opinions.delete(i);
    else opinions.set(i, token.negated ? -override : override);
  });
  return opinions;
}

function isRequest(tokens: Token[], start: number, end: number): boolean {
  const words = tokens.slice(start, end + 1).filter((t) => !NON_LANGUAGE_TYPES.has(t.type));
  const first = words.find((t) => t.type === 'word');
  const last = [...words].reverse().find((t) => t.type !== 'emoji' && t.type !== 'emoticon');
  return last?.text === '?' || (first !== undefined && REQUEST_OPENERS.has(first.normal));
}

function endsWithExclamation(tokens: Token[], start: number, end: number): boolean {
  const last = tokens
    .slice(start, end + 1)
    .reverse()
    .find((t) => t.type !== 'emoji' && t.type !== 'emoticon' && !NON_LANGUAGE_TYPES.has(t.type));
  return last?.text.startsWith('!') ?? false;
}

function weighedOpinions(tokens: Token[], sentences: [number, number][], hits: LexiconHit[]): Opinion[] {
  const raw = opinionsOf(tokens, hits);
  const weighed: Opinion[] = [];
  for (const [start, end] of sentences) {
    const request = isRequest(tokens, start, end);
    const exclaimed = endsWithExclamation(tokens, start, end);
    for (let i = start; i <= end; i += 1) {
      let score = raw.get(i);
      if (score === undefined) continue;
      // "fucking awesome": the intensifier strengthens the next opinion instead of being one.
      if (INTENSIFIERS.has(tokens[i]!.normal) && raw.has(i + 1)) continue;
      if (INTENSIFIERS.has(tokens[i - 1]?.normal ?? '')) score *= INTENSIFIER_FACTOR;
      if (request && score > 0) {
        // Politeness and topic words ("help", "joke", "works") are what make requests sound
        // positive; negative words in a question are still complaints ("why is it so slow?").
        if (score <= MILD) continue;
        score *= REQUEST_FACTOR;
      }
      if (exclaimed) score *= EXCLAMATION_FACTOR;
      weighed.push({ token: i, score });
    }
  }
  return weighed;
}

/** Whether a "but"/"however" stands between a positive and a negative opinion. */
function contrasted(tokens: Token[], opinions: Opinion[]): boolean {
  const firstPositive = opinions.find((o) => o.score > 0)?.token;
  const firstNegative = opinions.find((o) => o.score < 0)?.token;
  const lastPositive = opinions.findLast((o) => o.score > 0)?.token;
  const lastNegative = opinions.findLast((o) => o.score < 0)?.token;
  if (firstPositive === undefined || firstNegative === undefined) return false;
  const between = (from: number, to: number) =>
    tokens.slice(from + 1, to).some((t) => CONTRASTS.has(t.normal));
  return between(firstPositive, lastNegative!) || between(firstNegative, lastPositive!);
}

export function detectSentiment(wink: Wink, fullText: string): DetectSentimentResponse {
  const text = firstChars(fullText, SENTIMENT_READ_CHARS);
  const { doc, hits } = wink.read(text);
  const tokens = tokensOf(wink.nlp, doc, text);
  const opinions = weighedOpinions(tokens, sentenceSpans(wink.nlp, doc), hits);

  const positive = opinions.reduce((sum, o) => sum + Math.max(o.score, 0), 0);
  const negative = opinions.reduce((sum, o) => sum + Math.max(-o.score, 0), 0);
  const pPos = 1 - Math.exp(-EVIDENCE_RATE * positive);
  const pNeg = 1 - Math.exp(-EVIDENCE_RATE * negative);

  const scores = {
    Positive: pPos * (1 - pNeg),
    Negative: pNeg * (1 - pPos),
    Neutral: (1 - pPos) * (1 - pNeg),
    Mixed: pPos * pNeg,
  };
  // Without a "but" between them, one-sided texts with a stray opposite word are not MIXED:
  // the more lopsided the evidence, the more of the Mixed share goes to the stronger side.
  if (scores.Mixed > 0 && !contrasted(tokens, opinions)) {
    const balance = Math.sqrt(Math.min(positive, negative) / Math.max(positive, negative));
    const moved = scores.Mixed * (1 - balance);
    scores.Mixed -= moved;
    if (positive > negative) scores.Positive += moved;
    else scores.Negative += moved;
  }

  const order: [SentimentType, number][] = [
    ['NEUTRAL', scores.Neutral],
    ['POSITIVE', scores.Positive],
    ['NEGATIVE', scores.Negative],
    ['MIXED', scores.Mixed],
  ];
  const [sentiment] = order.reduce((best, next) => (next[1] > best[1] ? next : best));
  return { Sentiment: sentiment, SentimentScore: scores };
}
