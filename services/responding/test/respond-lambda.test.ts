// The respond Lambda with its AWS ports built from the environment the stack sets. The AWS SDK
// is mocked at the client (aws-sdk-client-mock); DynamoDB answers as a table would, so
// "answer once" is exercised through the real DynamoDbIdempotencyStore.
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  LexRuntimeV2Client,
  RecognizeTextCommand,
  ThrottlingException,
} from '@aws-sdk/client-lex-runtime-v2';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fakeDynamoDbTable } from '@murmur/aws-adapters/testing';
import { type EventEnvelope, loadExamples, type SendTweetDetail } from '@murmur/events';
import { type LogLine, recordingLogger } from '@murmur/ports/testing';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { isValidLexSessionId } from '../src/index.js';
import { RespondingConfigError } from '../src/lambda/config.js';
import { createRespondLambda, RESPONDING_ENV } from '../src/lambda/respond.js';

const SCENE = readFileSync(
  new URL('../../../packages/local-vision/test/fixtures/scene.jpg', import.meta.url),
);

const ENV = {
  [RESPONDING_ENV.busName]: 'murmur',
  [RESPONDING_ENV.idempotencyTable]: 'Murmur-Responding-IdempotencyTable-1A2B3C',
  [RESPONDING_ENV.mediaBucket]: 'murmur-analysis-mediabucket-1a2b3c',
  [RESPONDING_ENV.lexBotId]: 'ABCDE12345',
  [RESPONDING_ENV.lexBotAliasId]: 'FGHIJ67890',
  [RESPONDING_ENV.lexLocaleId]: 'en_US',
  MURMUR_REPLY_PER_USER: '5/3600',
};

const eventBridge = mockClient(EventBridgeClient);
const dynamodb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const lex = mockClient(LexRuntimeV2Client);

const example = (name: string): EventEnvelope => {
  const found = loadExamples().find((e) => e.detailType === 'MESSAGE_ANALYSED' && e.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return found.envelope as EventEnvelope;
};

/** `envelope` from `author`, a new message each time (own message id and tweet id). */
function textMessage(author: { id: string; screenName: string }, messageId: string): EventEnvelope {
  const base = example('valid-negative-text-only');
  const detail = base.detail as Record<string, unknown>;
  return {
    ...base,
    id: `evt-${messageId}`,
    detail: {
      ...detail,
      messageId,
      text: '@MurmurBot tell me a joke',
      author: { ...author, name: 'Someone' },
      twitter: { ...(detail.twitter as object), userId: author.id, tweetId: messageId },
    },
  };
}

const joke = (content: string) => ({
  sessionId: 'x-783214',
  messages: [{ contentType: 'PlainText' as const, content }],
  sessionState: { intent: { name: 'TellJoke', state: 'Fulfilled' as const, slots: {} } },
  interpretations: [{ intent: { name: 'TellJoke' }, nluConfidence: { score: 0.94 } }],
});

const published = (): { busName?: string; source?: string; detailType?: string; detail: SendTweetDetail }[] =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((c) =>
    (c.args[0].input.Entries ?? []).map((e) => ({
      busName: e.EventBusName,
      source: e.Source,
      detailType: e.DetailType,
      detail: JSON.parse(e.Detail ?? '{}') as SendTweetDetail,
    })),
  );

/** A logger and the lines it keeps. */
function recorded() {
  const lines: LogLine[] = [];
  return { log: recordingLogger(lines), lines };
}

describe('the respond Lambda', () => {
  let logLevel: string | undefined;
  beforeAll(() => {
    // The default ports log through Powertools; keep the test output to the test.
    logLevel = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  });
  afterAll(() => {
    if (logLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = logLevel;
  });
  beforeEach(() => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'out-1' }] });
  });
  afterEach(() => {
    for (const mock of [eventBridge, dynamodb, s3, lex]) mock.reset();
  });

  it("answers with Lex's reply as SEND_TWEET from murmur.responding on the configured bus", async () => {
    fakeDynamoDbTable(dynamodb);
    lex
      .on(RecognizeTextCommand)
      .resolves(joke('Why do programmers prefer dark mode? Because light attracts bugs.'));
    const handler = createRespondLambda({ env: ENV });
    const event = example('valid-negative-text-only');

    await handler(event);

    expect(lex.commandCalls(RecognizeTextCommand)[0]!.args[0].input).toMatchObject({
      botId: 'ABCDE12345',
      botAliasId: 'FGHIJ67890',
      localeId: 'en_US',
      sessionId: 'x-783214',
    });
    expect(published()).toEqual([
      {
        busName: 'murmur',
        source: 'murmur.responding',
        detailType: 'SEND_TWEET',
        detail: expect.objectContaining({
          responder: 'chatbot',
          channel: 'tweet',
          text: '@g Why do programmers prefer dark mode? Because light attracts bugs.',
          sourceMessageId: (event.detail as { messageId: string }).messageId,
        }),
      },
    ]);
    const tables = dynamodb.commandCalls(PutCommand).map((c) => c.args[0].input.TableName);
    expect(new Set(tables)).toEqual(new Set([ENV[RESPONDING_ENV.idempotencyTable]]));
  });

  it.each([
    ['_ in it', { id: '2244994945', screenName: 'ada_l' }],
    ['one character', { id: '7', screenName: 'a' }],
  ])('asks Lex under a valid session id for a screen name with %s', async (_what, author) => {
    fakeDynamoDbTable(dynamodb);
    lex.on(RecognizeTextCommand).resolves(joke('A joke.'));
    const handler = createRespondLambda({ env: ENV });

    await handler(textMessage(author, '1900000000000000555'));

    const sessionId = lex.commandCalls(RecognizeTextCommand)[0]!.args[0].input.sessionId!;
    expect(isValidLexSessionId(sessionId)).toBe(true);
    expect(sessionId).toBe(`x-${author.id}`);
    expect(published().map((p) => p.detail.text)).toEqual([`@${author.screenName} A joke.`]);
  });

  it('answers a message delivered twice once', async () => {
    fakeDynamoDbTable(dynamodb);
    lex.on(RecognizeTextCommand).resolves(joke('A joke.'));
    const handler = createRespondLambda({ env: ENV });
    const event = example('valid-negative-text-only');

    await handler(event);
    await handler(event);

    expect(published()).toHaveLength(1);
    expect(lex.commandCalls(RecognizeTextCommand)).toHaveLength(1);
  });

  it('fails the invocation when Lex throttles, and frees the message and the reply slot for the retry', async () => {
    const table = fakeDynamoDbTable(dynamodb);
    lex
      .on(RecognizeTextCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }))
      .resolves(joke('A joke.'));
    const handler = createRespondLambda({ env: ENV });
    const event = example('valid-negative-text-only');
    const messageId = (event.detail as { messageId: string }).messageId;

    const slots = () => [...table.keys()].filter((k) => k.startsWith('reply-slot:'));

    await expect(handler(event)).rejects.toBeInstanceOf(ThrottlingException);
    expect(table.has(`reply:${messageId}`)).toBe(false);
    expect(slots()).toEqual([]);
    expect(published()).toEqual([]);

    await handler(event);
    expect(published().map((p) => p.detail.text)).toEqual(['@g A joke.']);
    // One answer used one of the author's replies, however many attempts it took.
    expect(slots()).toEqual([expect.stringMatching(/^reply-slot:783214:\d+:0$/)]);
    expect(table.get(`reply:${messageId}`)?.status).toBe('COMPLETED');
  });

  it('reads the photo from the media bucket and writes the annotated copy beside it, never over it', async () => {
    fakeDynamoDbTable(dynamodb);
    s3.on(GetObjectCommand).resolves({
      Body: { transformToByteArray: async () => new Uint8Array(SCENE) } as never,
    });
    s3.on(PutObjectCommand).resolves({});
    const handler = createRespondLambda({ env: ENV });
    const event = example('valid-mention-with-photo');
    const [image] = (event.detail as { analysis: { images: { key: string }[] } }).analysis.images;

    await handler(event);

    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: ENV[RESPONDING_ENV.mediaBucket], Key: image!.key },
    ]);
    const [put] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(put).toMatchObject({
      Bucket: ENV[RESPONDING_ENV.mediaBucket],
      Key: image!.key.replace(/^media\//, 'annotated/'),
      ContentType: 'image/jpeg',
    });
    expect(put!.Key).not.toBe(image!.key);
    expect((await sharp(put!.Body as Uint8Array).metadata()).format).toBe('jpeg');
    const [reply] = published();
    expect(reply!.detail).toMatchObject({
      responder: 'image-annotation',
      mediaKey: put!.Key,
      text: '@ada_l I see Grace Hopper.',
    });
    expect(lex.commandCalls(RecognizeTextCommand)).toHaveLength(0);
  });

  describe('refuses to run misconfigured, naming every variable at fault and calling nothing', () => {
    it.each([
      [
        'nothing set',
        {},
        [
          `${RESPONDING_ENV.busName} is not set (the responding stack sets it to the Murmur bus name)`,
          `${RESPONDING_ENV.idempotencyTable} is not set`,
          `${RESPONDING_ENV.mediaBucket} is not set`,
          `${RESPONDING_ENV.lexBotId} is not set`,
          `${RESPONDING_ENV.lexBotAliasId} is not set`,
          `${RESPONDING_ENV.lexLocaleId} is not set`,
        ],
      ],
      [
        'an empty bucket name',
        { ...ENV, [RESPONDING_ENV.mediaBucket]: ' ' },
        [`${RESPONDING_ENV.mediaBucket} is empty`],
      ],
      [
        'a bucket ARN instead of its name',
        { ...ENV, [RESPONDING_ENV.mediaBucket]: 'arn:aws:s3:::media' },
        [`${RESPONDING_ENV.mediaBucket} is not an S3 bucket name`],
      ],
      [
        'a bot name instead of its id',
        { ...ENV, [RESPONDING_ENV.lexBotId]: 'MurmurBot' },
        [`${RESPONDING_ENV.lexBotId} a Lex V2 bot id is 10 letters or digits`],
      ],
      [
        'a bad per-user limit',
        { ...ENV, MURMUR_REPLY_PER_USER: '5 per hour' },
        ['MURMUR_REPLY_PER_USER="5 per hour": expected <replies>/<seconds>, e.g. 5/3600'],
      ],
    ])('%s', async (_what, env, problems) => {
      const { log, lines } = recorded();
      const handler = createRespondLambda({ env, log: () => log });

      const failure = handler(example('valid-negative-text-only'));

      await expect(failure).rejects.toBeInstanceOf(RespondingConfigError);
      for (const problem of problems) await expect(failure).rejects.toThrow(problem);
      expect(lines).toEqual([
        expect.objectContaining({ level: 'error', message: 'responding is not configured' }),
      ]);
      for (const mock of [eventBridge, dynamodb, s3, lex]) expect(mock.calls()).toHaveLength(0);
    });
  });
});
