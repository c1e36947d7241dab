import { createHmac } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EventBridgeBus } from '@murmur/aws-adapters';
import { consoleLogger } from '@murmur/embedded-runtime';
import type { IdempotencyPort, IdempotencyStatus, Logger } from '@murmur/ports';
import { activityPayloads } from '@murmur/x-emulator';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { fetchIngressConfig, fetchIngressSecret } from '../src/lambda/secret-config.js';
import { createWebhookHandler, WEBHOOK_ENV } from '../src/lambda/webhook.js';

// AWS service calls are mocked with aws-sdk-client-mock: the real EventBridgeBus adapter still
// builds the PutEvents request, and the real SecretsManagerClient sends GetSecretValue.

const SECRET = 'test-consumer-secret-0123456789';
const ACCOUNT = '1500000000000000001';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:murmur/ingress/x-AbCdEf';
const ENV = {
  [WEBHOOK_ENV.busName]: 'murmur',
  [WEBHOOK_ENV.idempotencyTable]: 'murmur-ingress-idempotency',
  [WEBHOOK_ENV.secretArn]: SECRET_ARN,
};

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;

const secretsManager = mockClient(SecretsManagerClient);
const eventBridge = mockClient(EventBridgeClient);

/** Answers GetSecretValue with whatever `secretString` holds at the time of the call. */
class FakeSecret {
  constructor(public secretString: string | undefined) {
    secretsManager.on(GetSecretValueCommand).callsFake(() => ({ SecretString: this.secretString }));
  }
  readonly client = new SecretsManagerClient({});
  get calls(): string[] {
    return secretsManager.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId!);
  }
}

interface PutEventsInput {
  Entries: { EventBusName: string; Source: string; DetailType: string; Detail: string }[];
}
const puts = (): PutEventsInput[] =>
  eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input as PutEventsInput);

afterEach(() => {
  secretsManager.reset();
  eventBridge.reset();
});
afterAll(() => {
  secretsManager.restore();
  eventBridge.restore();
});

/** The DynamoDB store's semantics in memory (the adapter itself is tested in @murmur/aws-adapters). */
class MemoryIdempotency implements IdempotencyPort {
  readonly records = new Map<string, 'in-progress' | 'completed'>();
  async begin(keys: readonly string[]): Promise<IdempotencyStatus[]> {
    return keys.map((key) => {
      const found = this.records.get(key);
      if (found) return found;
      this.records.set(key, 'in-progress');
      return 'new';
    });
  }
  async complete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.records.set(key, 'completed');
  }
  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.records.delete(key);
  }
}

/** A real logger whose lines land in `lines`, so tests can check what is (never) logged. */
function recordingLogger(lines: string[]): Logger {
  return consoleLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) });
}

// Realistic Account Activity payloads, as the emulator builds them for every test.
const payloads = activityPayloads({ startId: 1_900_000_000_000_000_000n });
function mentionBody(): string {
  const bot = { id: ACCOUNT, username: 'murmurbot' };
  return JSON.stringify(
    payloads.mention({
      forUser: bot,
      from: { id: '42', username: 'ada' },
      text: '@murmurbot hello from Lambda',
    }),
  );
}

function apiEvent(
  method: 'GET' | 'POST',
  options: { body?: string; headers?: Record<string, string>; query?: Record<string, string> } = {},
): APIGatewayProxyEvent {
  return {
    resource: '/twitter',
    path: '/twitter',
    httpMethod: method,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1' } as APIGatewayProxyEvent['requestContext'],
  };
}

const post = (body: string, headers: Record<string, string> = {}) =>
  apiEvent('POST', {
    body,
    headers: { 'Content-Type': 'application/json', 'X-Twitter-Webhooks-Signature': sign(body), ...headers },
  });

describe('the webhook Lambda entry', () => {
  let secrets: FakeSecret;
  let idempotency: MemoryIdempotency;
  let logLines: string[];
  let handler: ReturnType<typeof createWebhookHandler>;

  beforeEach(() => {
    secrets = new FakeSecret(JSON.stringify({ X_CONSUMER_SECRET: SECRET, X_ACCOUNT_ID: ACCOUNT }));
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsInput) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `evt-${i}` })),
    }));
    idempotency = new MemoryIdempotency();
    logLines = [];
    handler = createWebhookHandler({
      env: ENV,
      secrets: secrets.client,
      ports: (env) => ({
        bus: new EventBridgeBus(env[WEBHOOK_ENV.busName]!, new EventBridgeClient({})),
        idempotency,
        log: recordingLogger(logLines),
      }),
    });
  });

  it('publishes a signed delivery with PutEvents on the Murmur bus, as murmur.ingress', async () => {
    const result = await handler(post(mentionBody()));
    expect(result.statusCode).toBe(200);
    const answer = JSON.parse(result.body) as { published: number; duplicates: number };
    expect(answer.published).toBeGreaterThan(0);
    expect(answer.duplicates).toBe(0);
    const entries = puts().flatMap((p) => p.Entries);
    expect(entries).toHaveLength(answer.published);
    for (const entry of entries) {
      expect(entry).toMatchObject({ EventBusName: 'murmur', Source: 'murmur.ingress' });
    }
    expect(entries.map((e) => e.DetailType)).toContain('MESSAGE_RECEIVED');
    expect(JSON.parse(entries.find((e) => e.DetailType === 'MESSAGE_RECEIVED')!.Detail)).toMatchObject({
      text: expect.stringContaining('hello from Lambda'),
    });
  });

  it('publishes a redelivery once', async () => {
    const body = mentionBody();
    const first = await handler(post(body));
    const again = await handler(post(body));
    expect(JSON.parse(again.body)).toEqual({ published: 0, duplicates: JSON.parse(first.body).published });
    expect(puts()).toHaveLength(1);
  });

  it('refuses a wrong or missing signature with 401 and publishes nothing', async () => {
    const body = mentionBody();
    const forged = await handler(
      post(body, { 'X-Twitter-Webhooks-Signature': sign(body, 'not-the-secret-at-all') }),
    );
    expect(forged.statusCode).toBe(401);
    const unsigned = await handler(
      apiEvent('POST', { body, headers: { 'content-type': 'application/json' } }),
    );
    expect(unsigned.statusCode).toBe(401);
    expect(puts()).toEqual([]);
  });

  it('answers the CRC challenge, and refuses input that is not a token', async () => {
    const ok = await handler(apiEvent('GET', { query: { crc_token: 'abcDEF123_-xyz' } }));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      response_token: `sha256=${createHmac('sha256', SECRET).update('abcDEF123_-xyz').digest('base64')}`,
    });
    const oracle = await handler(apiEvent('GET', { query: { crc_token: mentionBody() } }));
    expect(oracle.statusCode).toBe(400);
    expect(oracle.body).not.toContain('sha256=');
  });

  it('fetches the secret once across invocations', async () => {
    await handler(apiEvent('GET', { query: { crc_token: 'abcDEF123_-xyz' } }));
    await handler(post(mentionBody()));
    expect(secrets.calls).toEqual([SECRET_ARN]);
  });

  it('enforces the declared body limit (413) and content type (415) before the handler', async () => {
    const big = JSON.stringify({ for_user_id: ACCOUNT, pad: 'x'.repeat(600 * 1024) });
    expect((await handler(post(big))).statusCode).toBe(413);
    const body = mentionBody();
    expect((await handler(post(body, { 'Content-Type': 'text/plain' }))).statusCode).toBe(415);
    expect(puts()).toEqual([]);
  });

  it('answers 503 while the secret still holds the placeholder, logs what is wrong but no value, and retries the fetch', async () => {
    secrets.secretString = JSON.stringify({ X_CONSUMER_SECRET: SECRET, X_ACCOUNT_ID: 'set-me' });
    const first = await handler(apiEvent('GET', { query: { crc_token: 'abcDEF123_-xyz' } }));
    expect(first.statusCode).toBe(503);
    expect(logLines.join('\n')).toContain('X_ACCOUNT_ID');
    expect(logLines.join('\n')).not.toContain(SECRET);
    // The user fills the secret in; the next invocation picks it up without a redeploy.
    secrets.secretString = JSON.stringify({ X_CONSUMER_SECRET: SECRET, X_ACCOUNT_ID: ACCOUNT });
    expect((await handler(apiEvent('GET', { query: { crc_token: 'abcDEF123_-xyz' } }))).statusCode).toBe(200);
    expect(secrets.calls).toHaveLength(2);
  });

  it('never logs secret values, whatever happens', async () => {
    const body = mentionBody();
    await handler(post(body));
    await handler(post(body, { 'X-Twitter-Webhooks-Signature': sign(body, 'wrong-secret-wrong-secret') }));
    await handler(apiEvent('GET', { query: { crc_token: 'abcDEF123_-xyz' } }));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(SECRET);
  });
});

describe('fetchIngressConfig', () => {
  it('reads the documented JSON shape, with several accounts and the OAuth 2 client secret', async () => {
    const secrets = new FakeSecret(
      JSON.stringify({
        X_CONSUMER_SECRET: SECRET,
        X_ACCOUNT_ID: '123, 456',
        X_CLIENT_SECRET: 'client-secret-abcdefgh',
      }),
    );
    const config = await fetchIngressConfig(secrets.client, SECRET_ARN);
    expect(config.consumerSecret).toBe(SECRET);
    expect(config.clientSecret).toBe('client-secret-abcdefgh');
    expect([...config.accountIds]).toEqual(['123', '456']);
  });

  it('keeps the optional polling credentials for createXClient, and only the documented keys', async () => {
    const secrets = new FakeSecret(
      JSON.stringify({
        X_CONSUMER_SECRET: SECRET,
        X_ACCOUNT_ID: ACCOUNT,
        X_BEARER_TOKEN: 'bearer-abc',
        X_API_KEY: 'key',
        X_ACCESS_TOKEN: 'token',
        X_ACCESS_TOKEN_SECRET: 'token-secret',
        SOMETHING_ELSE: 'ignored',
      }),
    );
    const { values } = await fetchIngressSecret(secrets.client, SECRET_ARN);
    expect(values).toEqual({
      X_CONSUMER_SECRET: SECRET,
      X_ACCOUNT_ID: ACCOUNT,
      X_BEARER_TOKEN: 'bearer-abc',
      X_API_KEY: 'key',
      X_ACCESS_TOKEN: 'token',
      X_ACCESS_TOKEN_SECRET: 'token-secret',
    });
  });

  it('refuses a polling credential that is not a string, without quoting the secret', async () => {
    const secrets = new FakeSecret(
      JSON.stringify({ X_CONSUMER_SECRET: SECRET, X_ACCOUNT_ID: ACCOUNT, X_BEARER_TOKEN: 7 }),
    );
    await expect(fetchIngressSecret(secrets.client, SECRET_ARN)).rejects.toThrow(
      'X_BEARER_TOKEN must be a string',
    );
  });

  it.each([
    ['not JSON', `{"X_CONSUMER_SECRET": "${SECRET}"`],
    ['a JSON array', JSON.stringify([SECRET])],
    ['an account id as a number', JSON.stringify({ X_CONSUMER_SECRET: SECRET, X_ACCOUNT_ID: 123 })],
    ['the placeholder account', JSON.stringify({ X_CONSUMER_SECRET: SECRET, X_ACCOUNT_ID: 'set-me' })],
  ])('refuses %s, without quoting the secret', async (_, secretString) => {
    const secrets = new FakeSecret(secretString);
    const error = (await fetchIngressConfig(secrets.client, SECRET_ARN).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('IngressConfigError');
    expect(error.message).not.toContain(SECRET);
  });
});
