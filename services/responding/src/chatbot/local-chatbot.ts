// The chat bot in the embedded runtime: an nlp.js classifier trained from the same definition
// CDK turns into a Lex V2 bot, answering in the shape of Lex's RecognizeText.
import nodeNlp from 'node-nlp';
import { type ChatbotDefinition, FALLBACK_INTENT } from './definition.js';
import { fulfil } from './fulfilment.js';

/** One slot as Lex V2 reports it. */
export interface LexSlot {
  value: { originalValue: string; interpretedValue: string; resolvedValues: string[] };
}

/** Lex V2's intent states (`IntentState`). */
export type LexIntentState =
  | 'Failed'
  | 'Fulfilled'
  | 'FulfillmentInProgress'
  | 'InProgress'
  | 'ReadyForFulfillment'
  | 'Waiting';

/** The parts of Lex V2's RecognizeText response Murmur reads. */
export interface ChatbotAnswer {
  sessionId: string;
  messages: { contentType: 'PlainText'; content: string }[];
  sessionState: {
    intent: {
      name: string;
      state: LexIntentState;
      slots: Record<string, LexSlot | null>;
    };
  };
  interpretations: { intent: { name: string }; nluConfidence?: { score: number } }[];
}

interface NlpResult {
  intent: string;
  score: number;
  classifications?: { intent: string; score: number }[];
  entities?: { entity: string; option: string; sourceText: string }[];
}

interface NlpManagerLike {
  addDocument(locale: string, utterance: string, intent: string): void;
  addNamedEntityText(entity: string, option: string, languages: string[], texts: string[]): void;
  train(): Promise<void>;
  process(locale: string, text: string): Promise<NlpResult>;
}

export interface LocalChatbot {
  /** Classifies and fulfils `text`; `seed` picks the joke or fact, so a retry answers the same. */
  recognizeText(input: { sessionId: string; text: string; seed: string }): Promise<ChatbotAnswer>;
}

export async function trainLocalChatbot(definition: ChatbotDefinition): Promise<LocalChatbot> {
  const manager = new (
    nodeNlp as unknown as { NlpManager: new (options: object) => NlpManagerLike }
  ).NlpManager({ languages: ['en'], forceNER: true, autoSave: false, autoLoad: false, nlu: { log: false } });
  for (const intent of definition.intents) {
    for (const slot of intent.slots ?? []) {
      for (const [value, synonyms] of Object.entries(slot.values)) {
        manager.addNamedEntityText(slot.name, value, ['en'], [value, ...synonyms]);
      }
    }
    for (const utterance of intent.utterances) {
      // Lex marks slots `{topic}`, nlp.js `%topic%`.
      manager.addDocument('en', utterance.replace(/\{(\w+)\}/g, '%$1%'), intent.name);
    }
  }
  for (const example of definition.fallback.examples) manager.addDocument('en', example, 'None');
  await manager.train();

  return {
    async recognizeText({ sessionId, text, seed }) {
      const result = await manager.process('en', text);
      const known = definition.intents.find((i) => i.name === result.intent);
      const confident = known !== undefined && result.score >= definition.confidenceThreshold;
      const name = confident ? known.name : FALLBACK_INTENT;
      const slots: Record<string, LexSlot | null> = {};
      for (const slot of (confident ? known.slots : undefined) ?? []) {
        const found = result.entities?.find((e) => e.entity === slot.name);
        slots[slot.name] = found
          ? {
              value: {
                originalValue: found.sourceText,
                interpretedValue: found.option,
                resolvedValues: [found.option],
              },
            }
          : null;
      }
      const content = fulfil(definition, name, slots, seed);
      return {
        sessionId,
        messages: [{ contentType: 'PlainText', content }],
        sessionState: { intent: { name, state: 'Fulfilled', slots } },
        interpretations: [
          { intent: { name }, ...(confident ? { nluConfidence: { score: round(result.score) } } : {}) },
          ...(result.classifications ?? [])
            .filter((c) => c.intent !== name && c.intent !== 'None')
            .map((c) => ({ intent: { name: c.intent }, nluConfidence: { score: round(c.score) } })),
        ],
      };
    },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
