// The Lex V2 code hook, fed the events Lex sends (test/events/*.json, in the shape the Lex V2
// developer guide documents: "AWS Lambda input event format for Lex V2").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { type LogLine, recordingLogger } from '@murmur/ports/testing';
import { FACTS } from '../src/chatbot/corpora/facts.js';
import { JOKES } from '../src/chatbot/corpora/jokes.js';
import { CHATBOT, fulfil } from '../src/index.js';
import { createFulfilmentHandler, LexEventError } from '../src/lambda/fulfilment.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./events/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

/** A logger and the lines it keeps. */
function recorded() {
  const lines: LogLine[] = [];
  return { log: recordingLogger(lines), lines };
}

describe('the Lex V2 fulfilment Lambda', () => {
  it('closes TellJoke as Fulfilled with a joke from the corpus, picked by the message Murmur sent as the seed', async () => {
    const { log } = recorded();
    const handler = createFulfilmentHandler({ log });
    const event = fixture('fulfilment-tell-joke');

    const response = await handler(event);

    expect(response.sessionState.dialogAction).toEqual({ type: 'Close' });
    expect(response.sessionState.intent).toEqual({
      confirmationState: 'None',
      name: 'TellJoke',
      slots: {},
      state: 'Fulfilled',
    });
    expect(response.messages).toHaveLength(1);
    const [message] = response.messages!;
    expect(message!.contentType).toBe('PlainText');
    expect(JOKES.entries.map((j) => j.text)).toContain(message!.content);
    // The seed is the request attribute LexChatbot sends: the local bot picks the same joke.
    expect(message!.content).toBe(fulfil(CHATBOT, 'TellJoke', {}, '1900000000000000001'));
  });

  it('draws a fact from the resolved topic, and hands the slots and session attributes back as Lex sent them', async () => {
    const handler = createFulfilmentHandler({ log: recorded().log });
    const event = fixture('fulfilment-tell-fact-topic');

    const response = await handler(event);

    const space = FACTS.entries.filter((f) => f.topic === 'space').map((f) => f.text);
    expect(space).toContain(response.messages![0]!.content);
    expect(response.sessionState.sessionAttributes).toEqual({ lastTopic: 'space' });
    expect(response.sessionState.intent.slots).toEqual({
      topic: {
        shape: 'Scalar',
        value: { originalValue: 'planets', interpretedValue: 'space', resolvedValues: ['space'] },
      },
    });
    expect(response.sessionState.intent.state).toBe('Fulfilled');
  });

  it('answers a fact on any topic when the slot is empty, the same one for the same request', async () => {
    const handler = createFulfilmentHandler({ log: recorded().log });
    const event = fixture('fulfilment-tell-fact-no-topic');

    const first = await handler(event);
    const again = await handler(event);

    expect(FACTS.entries.map((f) => f.text)).toContain(first.messages![0]!.content);
    expect(again.messages).toEqual(first.messages);
    expect(first.sessionState.intent.slots).toEqual({ topic: null });
  });

  it("answers FallbackIntent with the definition's fallback response", async () => {
    const handler = createFulfilmentHandler({ log: recorded().log });

    const response = await handler(fixture('fulfilment-fallback'));

    expect(response.sessionState.intent.name).toBe('FallbackIntent');
    expect(response.sessionState.intent.state).toBe('Fulfilled');
    expect(response.messages).toEqual([{ contentType: 'PlainText', content: CHATBOT.fallback.responses[0] }]);
  });

  it('delegates a dialog code hook back to Lex, intent untouched and no message', async () => {
    const handler = createFulfilmentHandler({ log: recorded().log });
    const event = fixture('dialog-code-hook-help');

    const response = await handler(event);

    expect(response).toEqual({
      sessionState: {
        sessionAttributes: { turns: '1' },
        dialogAction: { type: 'Delegate' },
        intent: { confirmationState: 'None', name: 'Help', slots: {}, state: 'InProgress' },
      },
    });
  });

  it('never logs what the user wrote', async () => {
    const { log, lines } = recorded();
    const handler = createFulfilmentHandler({ log });

    await handler(fixture('fulfilment-fallback'));

    expect(JSON.stringify(lines)).not.toContain('Leeds');
    expect(lines).toEqual([
      { level: 'info', message: 'fulfilled', fields: { intent: 'FallbackIntent', sessionId: 'x-783214' } },
    ]);
  });

  describe('refuses what is not a Lex V2 code-hook event, naming the field', () => {
    const joke = fixture('fulfilment-tell-joke');
    const sessionState = joke.sessionState as Record<string, unknown>;
    it.each([
      ['an EventBridge event', { 'detail-type': 'MESSAGE_ANALYSED', detail: {} }, 'messageVersion'],
      ['a Lex V1 event', { ...joke, messageVersion: '2.0' }, 'messageVersion'],
      ['an unknown invocation source', { ...joke, invocationSource: 'Fulfil' }, 'invocationSource'],
      [
        'an intent without a name',
        { ...joke, sessionState: { ...sessionState, intent: { state: 'ReadyForFulfillment' } } },
        'sessionState.intent.name',
      ],
      ['nothing', null, '(input)'],
    ])('%s', async (_what, input, path) => {
      const { log, lines } = recorded();
      const handler = createFulfilmentHandler({ log });

      const failure = handler(input);

      await expect(failure).rejects.toThrow(LexEventError);
      await expect(failure).rejects.toThrow(`not a Lex V2 code-hook event (${path}:`);
      expect(lines.map((l) => l.message)).toEqual(['Lex code hook refused its input']);
    });
  });
});
