// What a corpus of the chat bot is, checked once when first used, so an empty entry added by
// hand fails with the corpus and the entry named instead of being tweeted.
import { z } from 'zod';

export const CorpusSchema = z.object({
  source: z.string().min(1),
  entries: z.array(z.object({ text: z.string().trim().min(1), topic: z.string().optional() })).min(1),
});

export type Corpus = z.infer<typeof CorpusSchema>;
