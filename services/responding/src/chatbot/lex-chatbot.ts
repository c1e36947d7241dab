// The chat bot on AWS: Lex V2's RecognizeText on the bot the responding stack builds from the
// same definition the local classifier is trained on. The fulfilment Lambda answers from the
// corpora in this repository; this port only asks and maps the answer.
import { LexRuntimeV2Client, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import { z } from 'zod';
import type { ChatbotPort } from '../respond.js';
import { isValidLexSessionId, LEX_SEED_ATTRIBUTE } from './lex-session.js';
import type { ChatbotAnswer, LexIntentState, LexSlot } from './local-chatbot.js';

/** RecognizeText refuses longer text (a DM can hold 10,000 characters). */
export const LEX_MAX_TEXT_LENGTH = 1024;

export const LexBotConfigSchema = z.object({
  botId: z.string().regex(/^[0-9a-zA-Z]{10}$/, 'a Lex V2 bot id is 10 letters or digits'),
  botAliasId: z
    .string()
    .regex(/^(TSTALIASID|[0-9a-zA-Z]{10})$/, 'a Lex V2 bot alias id is 10 letters or digits'),
  localeId: z.string().regex(/^[a-z]{2}_[A-Z]{2}$/, 'a Lex V2 locale id looks like en_US'),
});
export type LexBotConfig = z.infer<typeof LexBotConfigSchema>;

/** Lex answered in a way responding cannot reply with (no intent, no text message). */
export class LexAnswerError extends Error {
  override readonly name = 'LexAnswerError';
}

const INTENT_STATES = [
  'Failed',
  'Fulfilled',
  'FulfillmentInProgress',
  'InProgress',
  'ReadyForFulfillment',
  'Waiting',
] as const satisfies readonly LexIntentState[];

const SlotSchema = z.object({
  value: z
    .object({
      originalValue: z.string().optional(),
      interpretedValue: z.string().optional(),
      resolvedValues: z.array(z.string()).optional(),
    })
    .optional(),
});

/** The parts of RecognizeText's response read here; anything else Lex adds is ignored. */
const RecognizeTextAnswerSchema = z.object({
  sessionId: z.string().optional(),
  messages: z.array(z.object({ contentType: z.string(), content: z.string().optional() })).optional(),
  sessionState: z
    .object({
      intent: z
        .object({
          name: z.string().min(1),
          state: z.enum(INTENT_STATES).optional(),
          slots: z.record(z.string(), SlotSchema.nullable()).optional(),
        })
        .optional(),
    })
    .optional(),
  interpretations: z
    .array(
      z.object({
        intent: z.object({ name: z.string() }).optional(),
        nluConfidence: z.object({ score: z.number() }).optional(),
      }),
    )
    .optional(),
});
type RecognizeTextAnswer = z.infer<typeof RecognizeTextAnswerSchema>;

export interface LexChatbotOptions extends LexBotConfig {
  client?: LexRuntimeV2Client;
}

/**
 * `ChatbotPort` on Lex V2. Errors from Lex (throttling above all) are thrown as they come, after
 * the SDK's own retries: the handler fails and the bus delivers the message again later.
 */
export class LexChatbot implements ChatbotPort {
  private readonly config: LexBotConfig;
  private readonly client: LexRuntimeV2Client;

  constructor(options: LexChatbotOptions) {
    const parsed = LexBotConfigSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Lex bot: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    this.config = parsed.data;
    this.client = options.client ?? new LexRuntimeV2Client({});
  }

  async recognizeText(input: { sessionId: string; text: string; seed: string }): Promise<ChatbotAnswer> {
    if (!isValidLexSessionId(input.sessionId)) {
      // lexSessionId() never makes one; Lex would answer ValidationException.
      throw new Error(
        `"${input.sessionId}" is not a Lex session id (2 to 100 of [0-9a-zA-Z._:-]); use lexSessionId()`,
      );
    }
    const response = await this.client.send(
      new RecognizeTextCommand({
        botId: this.config.botId,
        botAliasId: this.config.botAliasId,
        localeId: this.config.localeId,
        sessionId: input.sessionId,
        text: clipForLex(input.text, LEX_MAX_TEXT_LENGTH),
        requestAttributes: { [LEX_SEED_ATTRIBUTE]: input.seed },
      }),
    );
    const parsed = RecognizeTextAnswerSchema.safeParse(response);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LexAnswerError(`RecognizeText answered ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return toChatbotAnswer(parsed.data, input.sessionId);
  }
}

/** At most `max` UTF-16 units (the stricter reading of Lex's limit), never half an emoji. */
export function clipForLex(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function toChatbotAnswer(answer: RecognizeTextAnswer, sessionId: string): ChatbotAnswer {
  const intent = answer.sessionState?.intent;
  if (!intent) throw new LexAnswerError('RecognizeText answered without an intent');
  const messages = (answer.messages ?? [])
    .filter((m) => m.contentType === 'PlainText' && m.content?.trim())
    .map((m) => ({ contentType: 'PlainText' as const, content: m.content!.trim() }));
  if (messages.length === 0) {
    throw new LexAnswerError(
      `Lex answered intent ${intent.name} (${intent.state ?? 'no state'}) without a text message; ` +
        "is the fulfilment Lambda attached to the alias's locale?",
    );
  }
  const slots: Record<string, LexSlot | null> = {};
  for (const [name, slot] of Object.entries(intent.slots ?? {})) {
    const value = slot?.value;
    const original = value?.originalValue ?? value?.interpretedValue;
    slots[name] =
      value && original !== undefined
        ? {
            value: {
              originalValue: original,
              interpretedValue: value.interpretedValue ?? original,
              resolvedValues: value.resolvedValues ?? [],
            },
          }
        : null;
  }
  return {
    sessionId: answer.sessionId ?? sessionId,
    messages,
    sessionState: { intent: { name: intent.name, state: intent.state ?? 'Fulfilled', slots } },
    interpretations: (answer.interpretations ?? [])
      .filter((i) => i.intent !== undefined)
      .map((i) => ({
        intent: { name: i.intent!.name },
        ...(i.nluConfidence ? { nluConfidence: { score: i.nluConfidence.score } } : {}),
      })),
  };
}
