// What the bot says for an intent: the same function fulfils Lex (a Lambda) and the local bot.
// Jokes and facts come from corpora in this repository: no third-party API at run time.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ChatbotDefinition } from './definition.js';

const CorpusSchema = z.object({
  source: z.string(),
  entries: z.array(z.object({ text: z.string().min(1), topic: z.string().optional() })).min(1),
});
export type Corpus = z.infer<typeof CorpusSchema>;

function loadCorpus(name: 'jokes' | 'facts'): Corpus {
  const text = readFileSync(new URL(`./corpora/${name}.json`, import.meta.url), 'utf8');
  return CorpusSchema.parse(JSON.parse(text));
}

let corpora: Record<'jokes' | 'facts', Corpus> | undefined;

/** A stable choice: the same seed (the message answered) always gets the same entry. */
function pick<T>(items: readonly T[], seed: string): T {
  const n = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return items[n % items.length]!;
}

/** Slots as Lex reports them; only `interpretedValue` is read. */
type Slots = Record<string, { value: { interpretedValue: string } } | null>;

export function fulfil(
  definition: ChatbotDefinition,
  intentName: string,
  slots: Slots,
  seed: string,
): string {
  const intent = definition.intents.find((i) => i.name === intentName);
  if (!intent) return pick(definition.fallback.responses, seed);
  if ('responses' in intent.fulfilment) return pick(intent.fulfilment.responses, seed);
  corpora ??= { jokes: loadCorpus('jokes'), facts: loadCorpus('facts') };
  const corpus = corpora[intent.fulfilment.corpus];
  const topic = slots.topic?.value.interpretedValue;
  const onTopic = topic ? corpus.entries.filter((e) => e.topic === topic) : [];
  return pick(onTopic.length > 0 ? onTopic : corpus.entries, seed).text;
}
