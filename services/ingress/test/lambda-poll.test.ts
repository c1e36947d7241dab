import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type FakeItem, fakeDynamoDbTable } from '@murmur/aws-adapters/testing';
import { consoleLogger } from '@murmur/embedded-runtime';
import type { Logger } from '@murmur/ports';
import { XEmulator } from '@murmur/x-emulator';
import { mockClient } from 'aws-sdk-client-mock';
import { awsPollPorts, createPollHandler, POLL_ENV } from '../src/lambda/poll.js';

// The poll Lambda against a real X emulator on loopback (through twitter-api-v2), with its real
// AWS ports (EventBridgeBus, DynamoDbIdempotencyStore, DynamoDbCheckpointStore) over mocked SDK
// clients: PutEvents is recorded, and DynamoDB is a small in-memory table behind the document client.

const BOT = { id: '1500000000000000001', username: 'murmurbot', name: 'Murmur' };
const ADA = { id: '2244994945', username: 'ada', name: 'Ada' };
const TOKEN = 'app-bearer-token-for-poll-tests';
const CONSUMER_SECRET = 'poll-consumer-secret-0123456789';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:murmur/ingress/x-AbCdEf';
const TABLE = 'murmur-ingress-idempotency';
const SINCE_ID = `checkpoint#ingress.mentions.${BOT.id}.sinceId`;

const secretsManager = mockClient(SecretsManagerClient);
const eventBridge = mockClient(EventBridgeClient);
const dynamo = mockClient(DynamoDBDocumentClient);

/** A real logger whose lines land in `lines`, so tests can check what is (never) logged. */
function recordingLogger(lines: string[]): Logger {
  return consoleLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) });
}

interface Entry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
}
const putEntries = (): Entry[] =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries as Entry[]);

describe('the poll Lambda entry (EventBridge Scheduler target)', () => {
  let emulator: XEmulator;
  let items: Map<string, FakeItem>;
  let logLines: string[];
  let secret: Record<string, string>;
  let handler: ReturnType<typeof createPollHandler>;
  let putEventsFailures: number;

  beforeEach(async () => {
    emulator = await XEmulator.start();
    emulator.addUser(BOT);
    emulator.addUser(ADA);
    emulator.bindToken(TOKEN, 'app');
    items = fakeDynamoDbTable(dynamo);
    secret = { X_CONSUMER_SECRET: CONSUMER_SECRET, X_ACCOUNT_ID: BOT.id, X_BEARER_TOKEN: TOKEN };
    secretsManager
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
      .callsFake(() => ({ SecretString: JSON.stringify(secret) }));
    putEventsFailures = 0;
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => {
      if (putEventsFailures-- > 0) throw new Error('ThrottlingException');
      return { FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `evt-${i}` })) };
    });
    logLines = [];
    const env = {
      [POLL_ENV.busName]: 'murmur',
      [POLL_ENV.idempotencyTable]: TABLE,
      [POLL_ENV.secretArn]: SECRET_ARN,
      [POLL_ENV.xApiUrl]: emulator.url,
    };
    // The production ports, with a logger the test can read.
    handler = createPollHandler({ env, ports: (e) => awsPollPorts(e, recordingLogger(logLines)) });
  });
  afterEach(async () => {
    secretsManager.reset();
    eventBridge.reset();
    dynamo.reset();
    await emulator.stop();
  });
  afterAll(() => {
    secretsManager.restore();
    eventBridge.restore();
    dynamo.restore();
  });

  it('first run: sets the checkpoint in the table (no TTL) and publishes nothing', async () => {
    const old = emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot an old question' });

    await handler({});

    expect(eventBridge.commandCalls(PutEventsCommand)).toEqual([]);
    expect(items.get(SINCE_ID)).toEqual({ id: SINCE_ID, value: old.id, updatedAt: expect.any(String) });
    expect(items.get(SINCE_ID)).not.toHaveProperty('expiration');
  });

  it('publishes a new mention as MESSAGE_RECEIVED with ingress "poll" through PutEvents, once', async () => {
    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot an old question' });
    await handler({});
    const fresh = emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot a new one' });

    await handler({});
    await handler({}); // nothing new: nothing published twice

    const entries = putEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      EventBusName: 'murmur',
      Source: 'murmur.ingress',
      DetailType: 'MESSAGE_RECEIVED',
    });
    expect(JSON.parse(entries[0]!.Detail)).toMatchObject({
      ingress: 'poll',
      tweetId: fresh.id,
      text: '@murmurbot a new one',
    });
    expect(items.get(SINCE_ID)?.value).toBe(fresh.id);
    expect(items.get(`MESSAGE_RECEIVED:tweet:${BOT.id}:${fresh.id}`)).toMatchObject({ status: 'COMPLETED' });
  });

  it('reads the secret once per cold start', async () => {
    await handler({});
    await handler({});
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('throws when X fails, so the retry policy and the DLQ apply, and keeps the checkpoint', async () => {
    const old = emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot an old question' });
    await handler({});
    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot lost?' });
    emulator.failNext('users.mentions', 503);

    await expect(handler({})).rejects.toThrow();

    expect(items.get(SINCE_ID)?.value).toBe(old.id);
    expect(logLines.join('\n')).toContain('mentions poll failed');
    // The next run reads the same mentions again.
    await handler({});
    expect(putEntries().map((e) => JSON.parse(e.Detail).text)).toEqual(['@murmurbot lost?']);
  });

  it('throws when PutEvents fails, releasing its claims so the retry publishes', async () => {
    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot an old question' });
    await handler({});
    const fresh = emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot retried' });
    putEventsFailures = 1;

    await expect(handler({})).rejects.toThrow('ThrottlingException');
    expect(items.has(`MESSAGE_RECEIVED:tweet:${BOT.id}:${fresh.id}`)).toBe(false);

    await handler({});
    expect(putEntries().map((e) => JSON.parse(e.Detail).tweetId)).toEqual([fresh.id, fresh.id]);
  });

  it('throws without X credentials in the secret, names the variables, and never logs a value', async () => {
    secret = { X_CONSUMER_SECRET: CONSUMER_SECRET, X_ACCOUNT_ID: BOT.id };
    await expect(handler({})).rejects.toThrow(/X_BEARER_TOKEN, or X_API_KEY/);
    expect(logLines.join('\n')).toContain('X_BEARER_TOKEN');
    expect(logLines.join('\n')).not.toContain(CONSUMER_SECRET);
    // Filled in later: the next run picks it up without a redeploy.
    secret = { X_CONSUMER_SECRET: CONSUMER_SECRET, X_ACCOUNT_ID: BOT.id, X_BEARER_TOKEN: TOKEN };
    await expect(handler({})).resolves.toBeUndefined();
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('polls with user-context credentials too (X_API_KEY + X_ACCESS_TOKEN(_SECRET) with X_CONSUMER_SECRET)', async () => {
    secret = {
      X_CONSUMER_SECRET: CONSUMER_SECRET,
      X_ACCOUNT_ID: BOT.id,
      X_API_KEY: 'api-key-0123',
      X_ACCESS_TOKEN: 'access-token-0123',
      X_ACCESS_TOKEN_SECRET: 'access-token-secret-0123',
    };
    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot an old question' });
    await handler({});
    expect(items.get(SINCE_ID)).toBeDefined();
    const { X_ACCOUNT_ID: _account, ...secretValues } = secret;
    for (const value of Object.values(secretValues)) expect(logLines.join('\n')).not.toContain(value);
  });

  it('never logs secret values, whatever happens', async () => {
    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot hi' });
    await handler({});
    emulator.failNext('users.mentions', 401);
    await handler({}).catch(() => undefined);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(logLines.join('\n')).not.toContain(CONSUMER_SECRET);
  });
});
