// The ChatbotPort on Lex V2: RecognizeText, mocked at the SDK (aws-sdk-client-mock).
import {
  DependencyFailedException,
  LexRuntimeV2Client,
  RecognizeTextCommand,
  ThrottlingException,
} from '@aws-sdk/client-lex-runtime-v2';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { clipForLex, LEX_MAX_TEXT_LENGTH, LexAnswerError, LexChatbot } from '../src/chatbot/lex-chatbot.js';
import { isValidLexSessionId, LEX_SEED_ATTRIBUTE, lexSessionId } from '../src/index.js';

const lex = mockClient(LexRuntimeV2Client);
const BOT = { botId: 'ABCDE12345', botAliasId: 'FGHIJ67890', localeId: 'en_US' };

/** What RecognizeText answers for "tell me a fact about planets" (Lex V2 API reference shape). */
const FACT_ANSWER = {
  sessionId: 'x-2244994945',
  messages: [{ contentType: 'PlainText' as const, content: 'Octopuses have three hearts and blue blood.' }],
  sessionState: {
    dialogAction: { type: 'Close' as const },
    intent: {
      name: 'TellFact',
      slots: {
        topic: {
          shape: 'Scalar' as const,
          value: { originalValue: 'planets', interpretedValue: 'space', resolvedValues: ['space'] },
        },
      },
      state: 'Fulfilled' as const,
      confirmationState: 'None' as const,
    },
    originatingRequestId: '0f7b8f4e-1d0a-4f6b-8d55-2f3c1b7e9a02',
  },
  interpretations: [
    {
      intent: { name: 'TellFact', state: 'Fulfilled' as const, slots: {} },
      nluConfidence: { score: 0.97 },
      interpretationSource: 'Lex' as const,
    },
    { intent: { name: 'FallbackIntent', slots: {} }, interpretationSource: 'Lex' as const },
  ],
  requestAttributes: { [LEX_SEED_ATTRIBUTE]: '1900000000000000002' },
};

describe('LexChatbot', () => {
  afterEach(() => {
    lex.reset();
  });

  it('asks the configured bot alias and locale, with the session and the seed for the fulfilment hook', async () => {
    lex.on(RecognizeTextCommand).resolves(FACT_ANSWER);
    const bot = new LexChatbot(BOT);

    await bot.recognizeText({
      sessionId: 'x-2244994945',
      text: 'tell me a fact about planets',
      seed: '1900000000000000002',
    });

    expect(lex.commandCalls(RecognizeTextCommand).map((c) => c.args[0].input)).toEqual([
      {
        botId: 'ABCDE12345',
        botAliasId: 'FGHIJ67890',
        localeId: 'en_US',
        sessionId: 'x-2244994945',
        text: 'tell me a fact about planets',
        requestAttributes: { [LEX_SEED_ATTRIBUTE]: '1900000000000000002' },
      },
    ]);
  });

  it("maps Lex's answer to the shape the local bot answers in", async () => {
    lex.on(RecognizeTextCommand).resolves(FACT_ANSWER);
    const bot = new LexChatbot(BOT);

    const answer = await bot.recognizeText({
      sessionId: 'x-2244994945',
      text: 'tell me a fact about planets',
      seed: 's',
    });

    expect(answer).toEqual({
      sessionId: 'x-2244994945',
      messages: [{ contentType: 'PlainText', content: 'Octopuses have three hearts and blue blood.' }],
      sessionState: {
        intent: {
          name: 'TellFact',
          state: 'Fulfilled',
          slots: {
            topic: {
              value: { originalValue: 'planets', interpretedValue: 'space', resolvedValues: ['space'] },
            },
          },
        },
      },
      interpretations: [
        { intent: { name: 'TellFact' }, nluConfidence: { score: 0.97 } },
        { intent: { name: 'FallbackIntent' } },
      ],
    });
  });

  it('reports an empty slot as null, as the local bot does', async () => {
    lex.on(RecognizeTextCommand).resolves({
      ...FACT_ANSWER,
      sessionState: { intent: { name: 'TellFact', state: 'Fulfilled', slots: { topic: null as never } } },
    });
    const bot = new LexChatbot(BOT);

    const answer = await bot.recognizeText({ sessionId: 'x-1', text: 'any fun facts', seed: 's' });

    expect(answer.sessionState.intent.slots).toEqual({ topic: null });
  });

  it('rethrows throttling untouched, so the handler fails and the bus delivers the message again', async () => {
    lex
      .on(RecognizeTextCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }));
    const bot = new LexChatbot(BOT);

    const failure = bot.recognizeText({ sessionId: 'x-1', text: 'hello', seed: 's' });

    await expect(failure).rejects.toBeInstanceOf(ThrottlingException);
    await expect(failure).rejects.toThrow('Rate exceeded');
  });

  it('rethrows a failed fulfilment hook (DependencyFailedException) too', async () => {
    lex
      .on(RecognizeTextCommand)
      .rejects(new DependencyFailedException({ message: 'Invalid Lambda Response', $metadata: {} }));
    const bot = new LexChatbot(BOT);

    await expect(bot.recognizeText({ sessionId: 'x-1', text: 'hello', seed: 's' })).rejects.toBeInstanceOf(
      DependencyFailedException,
    );
  });

  it('refuses an answer with no text to reply with, naming the intent', async () => {
    lex.on(RecognizeTextCommand).resolves({ ...FACT_ANSWER, messages: [] });
    const bot = new LexChatbot(BOT);

    const failure = bot.recognizeText({ sessionId: 'x-1', text: 'hello', seed: 's' });

    await expect(failure).rejects.toBeInstanceOf(LexAnswerError);
    await expect(failure).rejects.toThrow('Lex answered intent TellFact (Fulfilled) without a text message');
  });

  it('refuses an answer with no intent', async () => {
    lex.on(RecognizeTextCommand).resolves({ messages: FACT_ANSWER.messages });
    const bot = new LexChatbot(BOT);

    await expect(bot.recognizeText({ sessionId: 'x-1', text: 'hello', seed: 's' })).rejects.toThrow(
      'RecognizeText answered without an intent',
    );
  });

  it('cuts text longer than RecognizeText takes (a long DM), never inside an emoji', async () => {
    lex.on(RecognizeTextCommand).resolves(FACT_ANSWER);
    const bot = new LexChatbot(BOT);
    const long = `${'a'.repeat(LEX_MAX_TEXT_LENGTH - 1)}😀 and then more`;

    await bot.recognizeText({ sessionId: 'x-1', text: long, seed: 's' });

    const sent = lex.commandCalls(RecognizeTextCommand)[0]!.args[0].input.text!;
    expect(sent).toBe('a'.repeat(LEX_MAX_TEXT_LENGTH - 1));
    expect(clipForLex('short', LEX_MAX_TEXT_LENGTH)).toBe('short');
  });

  describe('session ids (a screen name with _ or of one character)', () => {
    it.each([
      ['ada_l', '2244994945'],
      ['a', '7'],
    ])('@%s is asked about under a session id Lex accepts', async (_screenName, authorId) => {
      lex.on(RecognizeTextCommand).resolves(FACT_ANSWER);
      const bot = new LexChatbot(BOT);

      await bot.recognizeText({ sessionId: lexSessionId(authorId), text: 'hello', seed: 's' });

      const sessionId = lex.commandCalls(RecognizeTextCommand)[0]!.args[0].input.sessionId!;
      expect(sessionId).toBe(`x-${authorId}`);
      expect(isValidLexSessionId(sessionId)).toBe(true);
    });

    it.each([
      ['one character', 'a'],
      ['a space', 'ada l'],
      ['over 100 characters', 'x'.repeat(101)],
    ])('refuses a session id of %s before calling Lex', async (_what, sessionId) => {
      const bot = new LexChatbot(BOT);

      await expect(bot.recognizeText({ sessionId, text: 'hello', seed: 's' })).rejects.toThrow(
        'is not a Lex session id (2 to 100 of [0-9a-zA-Z._:-]); use lexSessionId()',
      );
      expect(lex.commandCalls(RecognizeTextCommand)).toHaveLength(0);
    });
  });

  it.each([
    [{ ...BOT, botId: 'abc' }, 'Lex bot: botId: a Lex V2 bot id is 10 letters or digits'],
    [{ ...BOT, botAliasId: '' }, 'Lex bot: botAliasId: a Lex V2 bot alias id is 10 letters or digits'],
    [{ ...BOT, localeId: 'english' }, 'Lex bot: localeId: a Lex V2 locale id looks like en_US'],
  ])('refuses a bad bot configuration: %j', (config, message) => {
    expect(() => new LexChatbot(config)).toThrow(message);
  });

  it("takes Lex's draft test alias", () => {
    expect(() => new LexChatbot({ ...BOT, botAliasId: 'TSTALIASID' })).not.toThrow();
  });
});
