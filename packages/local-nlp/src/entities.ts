// DetectEntities from two local models: compromise for names (people, places, organisations) and
// wink for dates, quantities and X's own furniture (handles, hashtags, links, emails).
//
// Comprehend's scores are a model's confidence; these are fixed per source, ranked by how often
// that source is right on posts: structural matches (a handle is a handle) over named entities
// over dates and numbers over proper nouns nobody could type.
import type { Entity, EntityType } from '@aws-sdk/client-comprehend';
import type { Compromise, Wink } from './models.js';
import { tokensOf } from './wink-tokens.js';

interface Candidate extends Required<Pick<Entity, 'Score' | 'Type' | 'Text' | 'BeginOffset' | 'EndOffset'>> {
  /** Which candidate wins where two overlap. */
  priority: number;
}

const SCORE = { structural: 0.99, named: 0.85, dateOrQuantity: 0.9, properNoun: 0.5 };
const PRIORITY = { structural: 4, named: 3, dateOrQuantity: 2, properNoun: 1 };

/** wink entity types -> Comprehend's; absent = not an entity for Comprehend (emoji, emoticons). */
const WINK_TYPES: Readonly<Record<string, { type: EntityType; group: 'structural' | 'dateOrQuantity' }>> = {
  DATE: { type: 'DATE', group: 'dateOrQuantity' },
  TIME: { type: 'DATE', group: 'dateOrQuantity' },
  CARDINAL: { type: 'QUANTITY', group: 'dateOrQuantity' },
  ORDINAL: { type: 'QUANTITY', group: 'dateOrQuantity' },
  MONEY: { type: 'QUANTITY', group: 'dateOrQuantity' },
  PERCENT: { type: 'QUANTITY', group: 'dateOrQuantity' },
  MEASURE: { type: 'QUANTITY', group: 'dateOrQuantity' },
  MENTION: { type: 'OTHER', group: 'structural' },
  HASHTAG: { type: 'OTHER', group: 'structural' },
  URL: { type: 'OTHER', group: 'structural' },
  EMAIL: { type: 'OTHER', group: 'structural' },
};
const DIGIT = /\d/;

/** Built in the key order Comprehend answers with, so logs and stored results read the same. */
function candidate(
  group: keyof typeof SCORE,
  Type: EntityType,
  text: string,
  begin: number,
  end: number,
): Candidate {
  return {
    Score: SCORE[group],
    Type,
    Text: text.slice(begin, end),
    BeginOffset: begin,
    EndOffset: end,
    priority: PRIORITY[group],
  };
}

function winkCandidates(wink: Wink, text: string): Candidate[] {
  const { doc } = wink.read(text);
  const tokens = tokensOf(wink.nlp, doc, text);
  const its = wink.nlp.its;
  const entities = doc.entities();
  const details = entities.out(its.detail) as unknown as { type: string }[];
  const spans = entities.out(its.span) as unknown as [number, number][];
  const candidates: Candidate[] = [];
  details.forEach(({ type }, i) => {
    const [first, last] = spans[i]!;
    const begin = tokens[first]!.begin;
    const end = tokens[last]!.end;
    // "3 hours" is a quantity; a bare "day" (as in "best day ever") is not an entity at all.
    const mapped =
      type === 'DURATION' && DIGIT.test(text.slice(begin, end))
        ? ({ type: 'QUANTITY', group: 'dateOrQuantity' } as const)
        : WINK_TYPES[type];
    if (mapped) candidates.push(candidate(mapped.group, mapped.type, text, begin, end));
  });
  return candidates;
}

interface Term {
  text: string;
  tags: ReadonlySet<string>;
  start: number;
  end: number;
}

interface CompromiseTermJson {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}

/** Words that make a run of proper nouns an organisation whatever else it contains ("Bank of America"). */
const ORGANISATION_WORDS = new Set([
  'bank',
  'university',
  'college',
  'school',
  'institute',
  'foundation',
  'inc',
  'corp',
  'corporation',
  'company',
  'co',
  'ltd',
  'llc',
  'plc',
  'group',
  'airlines',
  'airways',
  'fc',
  'club',
  'association',
  'agency',
  'ministry',
  'department',
]);
const NOT_A_NAME = [
  'Pronoun',
  'Date',
  'Month',
  'WeekDay',
  'Value',
  'AtMention',
  'HashTag',
  'Url',
  'Emoji',
  'Emoticon',
];

function isNamePart(term: Term): boolean {
  return (
    term.text !== '' &&
    NOT_A_NAME.every((tag) => !term.tags.has(tag)) &&
    (term.tags.has('ProperNoun') ||
      term.tags.has('Person') ||
      term.tags.has('Place') ||
      term.tags.has('Organization'))
  );
}

function nameType(run: Term[]): { type: EntityType; group: 'named' | 'properNoun' } {
  const has = (tag: string) => run.some((t) => t.tags.has(tag));
  if (
    has('Organization') ||
    run.some((t) => ORGANISATION_WORDS.has(t.text.toLowerCase().replace(/\.$/, '')))
  ) {
    return { type: 'ORGANIZATION', group: 'named' };
  }
  if (has('Person')) return { type: 'PERSON', group: 'named' };
  if (has('Place')) return { type: 'LOCATION', group: 'named' };
  return { type: 'OTHER', group: 'properNoun' };
}

/**
 * Runs of proper nouns, as compromise tags them, each typed by its strongest tag. Taking the whole
 * run fixes compromise's habit of naming part of a name ("Taylor" of "Taylor Swift").
 */
function compromiseCandidates(nlp: Compromise, text: string): Candidate[] {
  const sentences = nlp(text).json({ offset: true, terms: { offset: true } }) as {
    terms: CompromiseTermJson[];
  }[];
  const candidates: Candidate[] = [];
  for (const sentence of sentences) {
    const terms: Term[] = sentence.terms.map((t) => ({
      text: t.text,
      tags: new Set(t.tags),
      start: t.offset.start,
      end: t.offset.start + t.offset.length,
    }));
    let run: Term[] = [];
    const flush = () => {
      if (run.length > 0) {
        const { type, group } = nameType(run);
        candidates.push(candidate(group, type, text, run[0]!.start, run.at(-1)!.end));
      }
      run = [];
    };
    terms.forEach((term, i) => {
      if (isNamePart(term)) {
        run.push(term);
        return;
      }
      // "University of Oxford", "Bank of America": "of" between two name parts joins them.
      const next = terms[i + 1];
      if (run.length > 0 && term.text.toLowerCase() === 'of' && next && isNamePart(next)) {
        run.push(term);
        return;
      }
      flush();
    });
    flush();
  }
  return candidates;
}

/** Highest priority first (then longest); nothing overlaps what is already kept. Offset order out. */
function resolveOverlaps(candidates: Candidate[]): Entity[] {
  const ranked = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.EndOffset - b.BeginOffset - (a.EndOffset - a.BeginOffset),
  );
  const kept: Candidate[] = [];
  for (const c of ranked) {
    if (c.Text.trim() === '') continue;
    if (kept.every((k) => c.EndOffset <= k.BeginOffset || c.BeginOffset >= k.EndOffset)) kept.push(c);
  }
  return kept.sort((a, b) => a.BeginOffset - b.BeginOffset).map(({ priority: _, ...entity }) => entity);
}

export function detectEntities(wink: Wink, nlp: Compromise, text: string): Entity[] {
  return resolveOverlaps([...winkCandidates(wink, text), ...compromiseCandidates(nlp, text)]);
}
