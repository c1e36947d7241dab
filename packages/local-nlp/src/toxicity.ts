// DetectToxicContent for one text segment: every one of Comprehend's seven labels with a score
// (Comprehend lists them all, low scores included), and an overall Toxicity.
import type { ToxicContent, ToxicContentType, ToxicLabels } from '@aws-sdk/client-comprehend';
import type { Obscenity } from './models.js';
import {
  GRAPHIC_WORDS,
  HARASSMENT_PHRASES,
  INSULTING_PROFANITY,
  INSULTS,
  PLAIN_SEXUAL_TERMS,
  SEXUAL_TERMS,
  SLURS,
  TARGETS,
  VIOLENT_PROFANITY,
  VIOLENT_WORDS,
} from './toxicity-lexicon.js';

/** Comprehend's label order. */
const LABELS: readonly ToxicContentType[] = [
  'PROFANITY',
  'HATE_SPEECH',
  'INSULT',
  'GRAPHIC',
  'HARASSMENT_OR_ABUSE',
  'SEXUAL',
  'VIOLENCE_OR_THREAT',
];
/** What a label scores with no evidence at all: Comprehend never says a flat zero. */
const BASELINE = 0.01;
/** Words either side of an insult or threat that are searched for its target ("you", "him"). */
const TARGET_WINDOW = { before: 3, after: 2 };

const AIMED = { insult: 0.85, threat: 0.85, harassment: 0.5 };
const UNAIMED = { insult: 0.35, threat: 0.3 };

interface Word {
  text: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

function wordsOf(text: string): Word[] {
  return [...text.matchAll(WORD)].map((m) => ({
    text: m[0].toLowerCase().replace(/’/g, "'"),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function aimed(words: Word[], i: number): boolean {
  const from = Math.max(0, i - TARGET_WINDOW.before);
  const to = Math.min(words.length, i + TARGET_WINDOW.after + 1);
  return words.slice(from, to).some((w, k) => from + k !== i && TARGETS.has(w.text));
}

export function toxicityOf(obscenity: Obscenity, text: string): ToxicLabels {
  const scores = new Map<ToxicContentType, number>(LABELS.map((l) => [l, BASELINE]));
  const raise = (label: ToxicContentType, score: number) => {
    if (score > scores.get(label)!) scores.set(label, score);
  };
  const words = wordsOf(text);
  const wordAt = (offset: number) => words.findIndex((w) => offset >= w.start && offset < w.end);

  for (const match of obscenity.matcher.getAllMatches(text)) {
    const term = obscenity.dataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord ?? '';
    const at = wordAt(match.startIndex);
    const isAimed = at >= 0 && aimed(words, at);
    const plain = PLAIN_SEXUAL_TERMS.has(term);
    if (!plain) raise('PROFANITY', 0.9);
    if (SLURS.has(term)) {
      raise('HATE_SPEECH', 0.9);
      raise('INSULT', 0.6);
    }
    if (SEXUAL_TERMS.has(term)) raise('SEXUAL', plain ? 0.4 : 0.8);
    if (INSULTING_PROFANITY.has(term)) raise('INSULT', isAimed ? AIMED.insult : UNAIMED.insult);
    if (VIOLENT_PROFANITY.has(term)) raise('VIOLENCE_OR_THREAT', 0.8);
  }

  words.forEach((word, i) => {
    if (INSULTS.has(word.text)) {
      const isAimed = aimed(words, i);
      raise('INSULT', isAimed ? AIMED.insult : UNAIMED.insult);
      if (isAimed) raise('HARASSMENT_OR_ABUSE', AIMED.harassment);
    }
    if (VIOLENT_WORDS.has(word.text))
      raise('VIOLENCE_OR_THREAT', aimed(words, i) ? AIMED.threat : UNAIMED.threat);
    if (GRAPHIC_WORDS.has(word.text)) raise('GRAPHIC', 0.7);
  });

  const joined = ` ${words.map((w) => w.text).join(' ')} `;
  for (const phrase of HARASSMENT_PHRASES) {
    if (!joined.includes(` ${phrase} `)) continue;
    raise('HARASSMENT_OR_ABUSE', 0.8);
    if (phrase === 'kill yourself' || phrase === 'kys') raise('VIOLENCE_OR_THREAT', 0.7);
  }

  const labels: ToxicContent[] = LABELS.map((Name) => ({ Name, Score: scores.get(Name)! }));
  // Several kinds of evidence make a text more surely toxic than any one of them alone.
  const evidence = labels.filter((l) => l.Score! > BASELINE);
  const toxicity =
    evidence.length === 0 ? BASELINE : 1 - evidence.reduce((rest, l) => rest * (1 - l.Score!), 1);
  return { Labels: labels, Toxicity: Math.min(toxicity, 0.99) };
}
