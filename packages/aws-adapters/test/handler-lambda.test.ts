import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@murmur/events';
import {
  type Handler,
  type HandlerContext,
  NonRetryableError,
  REFUSED_EVENT_ATTRIBUTES,
  RetryLaterError,
} from '@murmur/ports';
import { type LogLine, recordingLogger } from '@murmur/ports/testing';
import { mockClient } from 'aws-sdk-client-mock';
import {
  eventHandlerLambda,
  type HandlerPorts,
  NotAnEventError,
  queuedHandlerLambda,
  queueUrlFromArn,
  type SqsRecordLike,
} from '../src/index.js';

const sqs = mockClient(SQSClient);
const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:123456789012:egress-send-tweet';
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/egress-send-tweet-dlq';

const envelope = (id: string): EventEnvelope => ({
  version: '0',
  id,
  'detail-type': 'SEND_TWEET',
  source: 'murmur.responding',
  account: '123456789012',
  time: '2026-12-05T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { n: id },
});

function ports(lines: LogLine[] = []): HandlerPorts {
  return {
    bus: { publish: async () => ({ eventIds: [] }) },
    idempotency: {
      begin: async (k) => k.map(() => 'new'),
      complete: async () => {},
      release: async () => {},
    },
    blobs: { bucket: 'media', put: async () => {}, get: async () => new Uint8Array() },
    log: recordingLogger(lines),
  };
}

const record = (event: unknown, messageId: string, receiveCount = 1): SqsRecordLike => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: typeof event === 'string' ? event : JSON.stringify(event),
  eventSourceARN: QUEUE_ARN,
  attributes: { ApproximateReceiveCount: String(receiveCount) },
});

describe('eventHandlerLambda', () => {
  it('calls the handler with the event as input and the ports, rule name and envelope in its context', async () => {
    const seen: [unknown, HandlerContext][] = [];
    const handler: Handler = async (input, ctx) => {
      seen.push([input, ctx]);
    };
    const lambda = eventHandlerLambda(handler, { ruleName: 'egress-send-tweet', ports: () => ports() });
    await lambda(envelope('e1'));
    expect(seen).toHaveLength(1);
    const [input, ctx] = seen[0]!;
    expect(input).toEqual(envelope('e1'));
    expect(ctx.event.id).toBe('e1');
    expect(ctx.ruleName).toBe('egress-send-tweet');
    expect(ctx.attempt).toBe(1);
    expect(ctx.blobs.bucket).toBe('media');
  });

  it('rethrows a failure, so Lambda retries and then sends the event to the on-failure destination', async () => {
    const lambda = eventHandlerLambda(
      async () => {
        throw new Error('X is down');
      },
      { ruleName: 'r', ports: () => ports() },
    );
    await expect(lambda(envelope('e1'))).rejects.toThrow('X is down');
  });

  it('logs a NonRetryableError and succeeds: a retry could only fail again', async () => {
    const lines: LogLine[] = [];
    const lambda = eventHandlerLambda(
      async () => {
        throw new NonRetryableError('the source tweet was deleted');
      },
      { ruleName: 'r', ports: () => ports(lines) },
    );
    await expect(lambda(envelope('e1'))).resolves.toBeUndefined();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ eventId: 'e1', reason: 'the source tweet was deleted' }),
      }),
    );
  });

  it('refuses an input that is not an event (e.g. a rule with an input transformer), naming the field', async () => {
    const lines: LogLine[] = [];
    let called = false;
    const lambda = eventHandlerLambda(
      async () => {
        called = true;
      },
      { ruleName: 'r', ports: () => ports(lines) },
    );
    await lambda({ text: 'transformed' });
    expect(called).toBe(false);
    expect(lines[0]?.fields?.error).toBe(new NotAnEventError('x').name);
    expect(String(lines[0]?.fields?.reason)).toMatch(/not an EventBridge event \(version: /);
  });

  it('loads the ports once, and again after a failed load', async () => {
    let loads = 0;
    const lambda = eventHandlerLambda(async () => {}, {
      ruleName: 'r',
      ports: () => {
        loads++;
        if (loads === 1) throw new Error('secret not readable yet');
        return ports();
      },
    });
    await expect(lambda(envelope('e1'))).rejects.toThrow('secret not readable yet');
    await lambda(envelope('e2'));
    await lambda(envelope('e3'));
    expect(loads).toBe(2);
  });
});

describe('queuedHandlerLambda', () => {
  afterEach(() => {
    sqs.reset();
  });

  it('reports only the failed records, hides a RetryLaterError record until its time, acks NonRetryable and junk (no DLQ given)', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const attempts: number[] = [];
    const handler: Handler = async (_input, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.event.id === 'later') throw new RetryLaterError('429 until the reset', 61_500);
      if (ctx.event.id === 'broken') throw new Error('X answered 503');
      if (ctx.event.id === 'never') throw new NonRetryableError('401 Unauthorized');
    };
    const lambda = queuedHandlerLambda(handler, {
      ruleName: 'egress-send-tweet',
      ports: () => ports(),
      sqs: new SQSClient({}),
    });
    const result = await lambda({
      Records: [
        record(envelope('ok'), 'm1'),
        record(envelope('later'), 'm2', 3),
        record(envelope('broken'), 'm3'),
        record(envelope('never'), 'm4'),
        record('{not json', 'm5'),
      ],
    });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }]);
    expect(attempts).toEqual([1, 3, 1, 1]);
    const calls = sqs.commandCalls(ChangeMessageVisibilityCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/egress-send-tweet',
        ReceiptHandle: 'rh-m2',
        VisibilityTimeout: 62,
      },
    ]);
  });

  it('puts a refused event in the dead-letter queue itself, marked with why and where from, and acks it', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dl-1' });
    const lines: LogLine[] = [];
    const lambda = queuedHandlerLambda(
      async () => {
        throw new NonRetryableError('X answered 401: the credentials were revoked');
      },
      { ruleName: 'r', ports: () => ports(lines), sqs: new SQSClient({}), deadLetterQueueUrl: DLQ_URL },
    );
    const refused = record(envelope('never'), 'm1');

    const result = await lambda({ Records: [refused, record('{not json', 'm2')] });

    expect(result.batchItemFailures).toEqual([]);
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent).toEqual([
      {
        QueueUrl: DLQ_URL,
        MessageBody: refused.body,
        MessageAttributes: {
          [REFUSED_EVENT_ATTRIBUTES.sourceQueueArn]: { DataType: 'String', StringValue: QUEUE_ARN },
          [REFUSED_EVENT_ATTRIBUTES.error]: { DataType: 'String', StringValue: 'NonRetryableError' },
          [REFUSED_EVENT_ATTRIBUTES.errorMessage]: {
            DataType: 'String',
            StringValue: 'X answered 401: the credentials were revoked',
          },
        },
      },
      expect.objectContaining({ QueueUrl: DLQ_URL, MessageBody: '{not json' }),
    ]);
    expect(sent[1]!.MessageAttributes?.[REFUSED_EVENT_ATTRIBUTES.error]?.StringValue).toBe('SyntaxError');
    expect(lines.filter((l) => l.level === 'error').map((l) => l.fields?.deadLetterQueue)).toEqual([
      DLQ_URL,
      DLQ_URL,
    ]);
  });

  it('leaves a refused event in its queue when the dead-letter queue cannot take it, so nothing is lost', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDenied' }));
    const lambda = queuedHandlerLambda(
      async () => {
        throw new NonRetryableError('refused');
      },
      { ruleName: 'r', ports: () => ports(), sqs: new SQSClient({}), deadLetterQueueUrl: DLQ_URL },
    );

    const result = await lambda({ Records: [record(envelope('never'), 'm1')] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });

  it('caps the delay at what SQS allows (12 hours)', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const lambda = queuedHandlerLambda(
      async () => {
        throw new RetryLaterError('reset in two days', 2 * 86_400_000);
      },
      { ruleName: 'r', ports: () => ports(), sqs: new SQSClient({}) },
    );
    await lambda({ Records: [record(envelope('x'), 'm1')] });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input.VisibilityTimeout).toBe(43_200);
  });
});

describe('queueUrlFromArn', () => {
  it('builds the URL of a queue from its ARN, and refuses what is not one', () => {
    expect(queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:q')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q',
    );
    expect(() => queueUrlFromArn('arn:aws:s3:::bucket')).toThrow(/not an SQS queue ARN/);
  });
});
