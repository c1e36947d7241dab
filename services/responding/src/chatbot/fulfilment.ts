// What the bot says for an intent: the same function fulfils Lex (the fulfilment Lambda) and the
// local bot. Jokes and facts come from corpora in this repository: no third-party API at run time.
import { createHash } from 'node:crypto';
import { type Corpus, CorpusSchema } from './corpora/corpus.js';
import { FACTS } from './corpora/facts.js';
import { JOKES } from './corpora/jokes.js';
import type { ChatbotDefinition } from './definition.js';

export type { Corpus } from './corpora/corpus.js';

export type CorpusName = 'jokes' | 'facts';

let corpora: Record<CorpusName, Corpus> | undefined;

/** The corpora shipped with the bot, validated on first use. */
export function loadCorpora(): Record<CorpusName, Corpus> {
  corpora ??= { jokes: checkCorpus('jokes', JOKES), facts: checkCorpus('facts', FACTS) };
  return corpora;
}

/** The corpus, or an error naming it and the entry at fault (an empty joke must never be tweeted). */
export function checkCorpus(name: CorpusName, corpus: Corpus): Corpus {
  const result = CorpusSchema.safeParse(corpus);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`corpus ${name}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}

/** A stable choice: the same seed (the message answered) always gets the same entry. */
function pick<T>(items: readonly T[], seed: string): T {
  const n = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return items[n % items.length]!;
}

/** Slots as Lex reports them; only `interpretedValue` is read (Lex may leave it out). */
export type FulfilmentSlots = Record<string, { value?: { interpretedValue?: string } } | null | undefined>;

export function fulfil(
  definition: ChatbotDefinition,
  intentName: string,
  slots: FulfilmentSlots,
  seed: string,
): string {
  const intent = definition.intents.find((i) => i.name === intentName);
  if (!intent) return pick(definition.fallback.responses, seed);
  if ('responses' in intent.fulfilment) return pick(intent.fulfilment.responses, seed);
  const corpus = loadCorpora()[intent.fulfilment.corpus];
  const topic = slots.topic?.value?.interpretedValue?.toLowerCase();
  const onTopic = topic ? corpus.entries.filter((e) => e.topic === topic) : [];
  return pick(onTopic.length > 0 ? onTopic : corpus.entries, seed).text;
}
