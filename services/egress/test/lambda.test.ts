import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type FakeItem, fakeDynamoDbTable } from '@murmur/aws-adapters/testing';
import { consoleLogger } from '@murmur/embedded-runtime';
import type { EventEnvelope, SendTweetDetail } from '@murmur/events';
import { DEAD_LETTER_QUEUE_URL_ENV } from '@murmur/ports';
import { XEmulator } from '@murmur/x-emulator';
import { mockClient } from 'aws-sdk-client-mock';
import { EGRESS_RETRY_POLICY } from '../src/declaration.js';
import { awsEgressPorts, createSendTweetLambda, EGRESS_ENV } from '../src/lambda/send-tweet.js';
import { ADA, ANNOTATED_JPEG, ANNOTATED_KEY, BOT, CREDENTIALS, tweetReply } from './support.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:murmur/egress/x-AbCdEf';
const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:111122223333:Murmur-Egress-SendTweetQueue';
const BUCKET = 'murmur-media-111122223333';
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/Murmur-Egress-SendTweetDlq';

const secretsManager = mockClient(SecretsManagerClient);
const eventBridge = mockClient(EventBridgeClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);

interface Entry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
}
const putEntries = (): Entry[] =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries as Entry[]);

function envelope(detail: SendTweetDetail, time: number): EventEnvelope {
  return {
    version: '0',
    id: `evt-${detail.sourceMessageId}`,
    'detail-type': 'SEND_TWEET',
    source: 'murmur.responding',
    account: '111122223333',
    time: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-1',
    resources: [],
    detail: detail as never,
  };
}

/** One SQS record as the event source mapping hands it over: the EventBridge event as its body. */
function record(event: EventEnvelope, messageId: string, receiveCount = 1) {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(event),
    eventSourceARN: QUEUE_ARN,
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  };
}

describe('the egress Lambda (SQS event source)', () => {
  let emulator: XEmulator;
  let items: Map<string, FakeItem>;
  let lines: string[];
  const clock = { now: Date.UTC(2026, 2, 1, 12) };

  const env = () => ({
    [DEAD_LETTER_QUEUE_URL_ENV]: DLQ_URL,
    [EGRESS_ENV.busName]: 'murmur-bus',
    [EGRESS_ENV.idempotencyTable]: 'murmur-egress-idempotency',
    [EGRESS_ENV.mediaBucket]: BUCKET,
    [EGRESS_ENV.secretArn]: SECRET_ARN,
    [EGRESS_ENV.xApiUrl]: emulator.url,
  });
  const lambda = () =>
    createSendTweetLambda({
      env: env(),
      ports: (e) => ({
        ...awsEgressPorts(e),
        log: consoleLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) }),
      }),
      now: () => clock.now,
    });

  beforeEach(async () => {
    emulator = await XEmulator.start({ me: BOT, now: () => clock.now });
    emulator.addUser(ADA);
    items = fakeDynamoDbTable(dynamo);
    lines = [];
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `eb-${i}` })),
    }));
    secretsManager
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
      .resolves({ SecretString: JSON.stringify(CREDENTIALS) });
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: ANNOTATED_KEY }).resolves({
      Body: { transformToByteArray: async () => ANNOTATED_JPEG } as never,
    });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
  });

  afterEach(async () => {
    await emulator.stop();
    for (const mock of [secretsManager, eventBridge, dynamo, s3, sqs]) mock.reset();
  });

  afterAll(() => {
    for (const mock of [secretsManager, eventBridge, dynamo, s3, sqs]) mock.restore();
  });

  it('posts the reply with the image from S3, publishes TWEET_SENT as murmur.egress, records it once', async () => {
    const mention = emulator.addMention({ author: ADA.id, text: 'who is this?' });
    const event = envelope(tweetReply(mention, { mediaKey: ANNOTATED_KEY }), clock.now);
    const handler = lambda();

    const first = await handler({ Records: [record(event, 'm1')] });
    const redelivered = await handler({ Records: [record(event, 'm1', 2)] });

    expect(first.batchItemFailures).toEqual([]);
    expect(redelivered.batchItemFailures).toEqual([]);
    const posted = emulator.postedTweets();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ inReplyToTweetId: mention.id, mediaKeys: [expect.any(String)] });
    expect(Buffer.compare(emulator.uploadedMedia()[0]!.data!, ANNOTATED_JPEG)).toBe(0);
    const entries = putEntries();
    expect(entries.map((e) => [e.EventBusName, e.Source, e.DetailType])).toEqual([
      ['murmur-bus', 'murmur.egress', 'TWEET_SENT'],
    ]);
    expect(JSON.parse(entries[0]!.Detail)).toMatchObject({ tweetId: posted[0]!.id, dryRun: false });
    expect(items.get(`egress:send:${mention.id}`)).toMatchObject({ status: 'COMPLETED' });
  });

  it("hides a rate-limited message until X's reset (ChangeMessageVisibility), and reports it failed", async () => {
    emulator.failNext('tweets.create', 429);
    const mention = emulator.addMention({ author: ADA.id, text: 'hi' });

    const result = await lambda()({ Records: [record(envelope(tweetReply(mention), clock.now), 'm1')] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    // The reset is the 15-minute window's end, plus a second's margin.
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/Murmur-Egress-SendTweetQueue',
        ReceiptHandle: 'rh-m1',
        VisibilityTimeout: 901,
      },
    ]);
    expect(emulator.postedTweets()).toEqual([]);
    expect(items.has(`egress:send:${mention.id}`)).toBe(false);
  });

  it('on the last receive, reports TWEET_FAILED and leaves the message to the DLQ', async () => {
    emulator.failNext('tweets.create', 503);
    const mention = emulator.addMention({ author: ADA.id, text: 'hi' });
    const lastReceive = EGRESS_RETRY_POLICY.maximumRetryAttempts + 1;

    const result = await lambda()({
      Records: [record(envelope(tweetReply(mention), clock.now), 'm1', lastReceive)],
    });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    const [entry] = putEntries();
    expect(entry?.DetailType).toBe('TWEET_FAILED');
    expect(JSON.parse(entry!.Detail)).toMatchObject({
      statusCode: 503,
      retryable: true,
      attempts: lastReceive,
    });
  });

  it('on a 401, reports TWEET_FAILED and puts the SEND_TWEET in the DLQ at once, to redrive once the credentials are fixed', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dl-1' });
    emulator.failNext('tweets.create', 401);
    const mention = emulator.addMention({ author: ADA.id, text: 'hi' });
    const message = record(envelope(tweetReply(mention), clock.now), 'm1');

    const result = await lambda()({ Records: [message] });

    expect(result.batchItemFailures).toEqual([]);
    expect(putEntries().map((e) => [e.DetailType, JSON.parse(e.Detail).retryable])).toEqual([
      ['TWEET_FAILED', false],
    ]);
    const [dead] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(dead).toMatchObject({
      QueueUrl: DLQ_URL,
      MessageBody: message.body,
      MessageAttributes: { MURMUR_SOURCE_QUEUE_ARN: { StringValue: QUEUE_ARN } },
    });
    expect(items.has(`egress:send:${mention.id}`)).toBe(false);
  });

  it('with the secret still holding placeholders: fails the delivery, names the keys, never a value', async () => {
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        ...CREDENTIALS,
        X_ACCESS_TOKEN: 'set-me',
        X_ACCESS_TOKEN_SECRET: 'set-me',
      }),
    });
    const mention = emulator.addMention({ author: ADA.id, text: 'hi' });

    const result = await lambda()({ Records: [record(envelope(tweetReply(mention), clock.now), 'm1')] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(emulator.requests).toEqual([]);
    const logged = lines.join('\n');
    expect(logged).toContain(
      'EgressConfigError: egress secret: fill in X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET',
    );
    for (const value of Object.values(CREDENTIALS)) expect(logged).not.toContain(value);
  });

  it('refuses a secret that is not JSON without echoing it', async () => {
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'X_API_KEY=hunter2-secret' });
    const mention = emulator.addMention({ author: ADA.id, text: 'hi' });

    await lambda()({ Records: [record(envelope(tweetReply(mention), clock.now), 'm1')] });

    const logged = lines.join('\n');
    expect(logged).toContain('egress secret: SecretString is not JSON');
    expect(logged).not.toContain('hunter2');
  });
});
