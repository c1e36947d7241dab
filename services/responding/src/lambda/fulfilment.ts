// Lambda entry of the Lex V2 bot's code hook (the bot alias's locale points at it). It answers
// with `fulfil`, the very function the local chat bot uses, from the corpora in this repository:
// no third-party API at run time. Lex waits for it, so it does nothing slow.
import { powertoolsLogger } from '@murmur/aws-adapters';
import type { Logger } from '@murmur/ports';
import { z } from 'zod';
import { CHATBOT, type ChatbotDefinition } from '../chatbot/definition.js';
import { fulfil } from '../chatbot/fulfilment.js';
import { LEX_SEED_ATTRIBUTE } from '../chatbot/lex-session.js';

/** Lex sent something that is not a V2 code-hook event. */
export class LexEventError extends Error {
  override readonly name = 'LexEventError';
}

// Loose objects: Lex adds fields without changing messageVersion, and the intent goes back to
// Lex as it came (slots with their `shape`), only its state changed.
const SlotSchema = z.looseObject({
  value: z.looseObject({ interpretedValue: z.string().optional() }).optional(),
});

const IntentSchema = z.looseObject({
  name: z.string().min(1),
  slots: z.record(z.string(), SlotSchema.nullable()).nullish(),
  state: z.string().optional(),
  confirmationState: z.string().optional(),
});

export const LexCodeHookEventSchema = z.looseObject({
  messageVersion: z.literal('1.0'),
  invocationSource: z.enum(['DialogCodeHook', 'FulfillmentCodeHook']),
  sessionId: z.string().min(1),
  inputTranscript: z.string().optional(),
  requestAttributes: z.record(z.string(), z.string()).nullish(),
  sessionState: z.looseObject({
    sessionAttributes: z.record(z.string(), z.string()).nullish(),
    intent: IntentSchema,
    originatingRequestId: z.string().optional(),
  }),
});
export type LexCodeHookEvent = z.infer<typeof LexCodeHookEventSchema>;

/** Lex V2's code-hook response, as far as this hook answers: the intent goes back as it came. */
export interface LexCodeHookResponse {
  sessionState: {
    sessionAttributes: Record<string, string>;
    dialogAction: { type: 'Close' | 'Delegate' };
    intent: LexCodeHookEvent['sessionState']['intent'];
  };
  messages?: { contentType: 'PlainText'; content: string }[];
}

export interface FulfilmentLambdaOptions {
  definition?: ChatbotDefinition;
  log?: Logger;
}

/** The message the answer is for (sent by LexChatbot), so a retry answers the same; else the request. */
function seedOf(event: LexCodeHookEvent): string {
  return (
    event.requestAttributes?.[LEX_SEED_ATTRIBUTE] ??
    event.sessionState.originatingRequestId ??
    `${event.sessionId}:${event.inputTranscript ?? ''}`
  );
}

export function createFulfilmentHandler(options: FulfilmentLambdaOptions = {}) {
  const definition = options.definition ?? CHATBOT;
  let log = options.log;

  return async (input: unknown): Promise<LexCodeHookResponse> => {
    log ??= powertoolsLogger('responding');
    const parsed = LexCodeHookEventSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const error = new LexEventError(
        `not a Lex V2 code-hook event (${issue?.path.join('.') || '(input)'}: ${issue?.message})`,
      );
      log.error('Lex code hook refused its input', { error: error.name, problem: error.message });
      throw error;
    }
    const event = parsed.data;
    const intent = event.sessionState.intent;
    const sessionAttributes = event.sessionState.sessionAttributes ?? {};
    // Only the fulfilment hook is enabled; a dialog hook (turned on in the console) hands back to Lex.
    if (event.invocationSource === 'DialogCodeHook') {
      return {
        sessionState: { sessionAttributes, dialogAction: { type: 'Delegate' }, intent },
      };
    }
    const content = fulfil(definition, intent.name, intent.slots ?? {}, seedOf(event));
    log.info('fulfilled', { intent: intent.name, sessionId: event.sessionId });
    return {
      sessionState: {
        sessionAttributes,
        dialogAction: { type: 'Close' },
        intent: { ...intent, state: 'Fulfilled' },
      },
      messages: [{ contentType: 'PlainText', content }],
    };
  };
}

export const handler = createFulfilmentHandler();
