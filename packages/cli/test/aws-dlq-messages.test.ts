import type { Target } from '@aws-sdk/client-eventbridge';
import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@murmur/events';
import {
  deadLetterJson,
  parseArn,
  queueUrlOfArn,
  readDeadLetterMessage,
  ruleOfArn,
  shortName,
  targetInput,
} from '../src/aws/index.js';

const RULE_ARN = 'arn:aws:events:eu-west-1:111122223333:rule/murmur/alerting-notify';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:murmur-alerts';

const event: EventEnvelope = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'ALERT_RAISED',
  source: 'murmur.alerting',
  account: '111122223333',
  time: '2025-03-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { severity: 'high', rule: 'negative', summary: 'a "very" unhappy customer', tags: ['a', 'b'] },
};

function message(
  body: string,
  attributes: Record<string, string> = {},
  system: Record<string, string> = {},
): Message {
  return {
    MessageId: 'm-1',
    ReceiptHandle: 'secret-receipt-handle',
    Body: body,
    Attributes: { SentTimestamp: '1740823200000', ApproximateReceiveCount: '2', ...system },
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
    ),
  };
}

describe('ARNs', () => {
  it('reads rules on custom and default buses, and the names operators know', () => {
    expect(ruleOfArn(RULE_ARN)).toEqual({ busName: 'murmur', ruleName: 'alerting-notify' });
    expect(ruleOfArn('arn:aws:events:eu-west-1:111122223333:rule/on-default')).toEqual({
      busName: 'default',
      ruleName: 'on-default',
    });
    expect(ruleOfArn(TOPIC_ARN)).toBeUndefined();
    expect(ruleOfArn('not an arn')).toBeUndefined();
    expect(shortName('arn:aws:lambda:eu-west-1:111122223333:function:egress-send:$LATEST')).toBe(
      'egress-send',
    );
    expect(shortName('arn:aws:states:eu-west-1:111122223333:stateMachine:AnalyseMessage')).toBe(
      'AnalyseMessage',
    );
    expect(shortName(TOPIC_ARN)).toBe('murmur-alerts');
    expect(shortName('arn:aws:events:eu-west-1:111122223333:archive/murmur-all-events')).toBe(
      'murmur-all-events',
    );
    expect(parseArn('arn:aws')).toBeUndefined();
  });

  it('builds queue URLs from ARNs, China partition included, and refuses other ARNs', () => {
    expect(queueUrlOfArn('arn:aws:sqs:eu-west-1:111122223333:q')).toBe(
      'https://sqs.eu-west-1.amazonaws.com/111122223333/q',
    );
    expect(queueUrlOfArn('arn:aws-cn:sqs:cn-north-1:111122223333:q')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q',
    );
    expect(() => queueUrlOfArn(TOPIC_ARN)).toThrow(`not an SQS queue ARN: ${TOPIC_ARN}`);
  });
});

describe('readDeadLetterMessage', () => {
  it("reads an EventBridge target's dead letter: the event, the rule, the target and the error", () => {
    const m = readDeadLetterMessage(
      message(JSON.stringify(event), {
        RULE_ARN,
        TARGET_ARN: TOPIC_ARN,
        ERROR_CODE: 'NO_PERMISSIONS',
        ERROR_MESSAGE: 'Not authorized to publish',
        RETRY_ATTEMPTS: '12',
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttemptsExhausted',
      }),
    );
    expect(m).toMatchObject({
      messageId: 'm-1',
      sentAt: '2025-03-01T10:00:00.000Z',
      receiveCount: 2,
      origin: {
        kind: 'rule-target',
        ruleArn: RULE_ARN,
        targetArn: TOPIC_ARN,
        errorCode: 'NO_PERMISSIONS',
        errorMessage: 'Not authorized to publish',
        retryAttempts: 12,
        exhaustedRetryCondition: 'MaximumRetryAttemptsExhausted',
      },
      event: { id: event.id, 'detail-type': 'ALERT_RAISED' },
      notAnEvent: null,
    });
  });

  it("reads a Lambda on-failure destination's invocation record: the function and the payload", () => {
    const record = {
      version: '1.0',
      timestamp: '2025-03-01T10:00:05.000Z',
      requestContext: {
        requestId: 'req-1',
        functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:egress-send:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'TypeError', errorMessage: 'x is undefined' },
    };
    const m = readDeadLetterMessage(message(JSON.stringify(record)));
    expect(m.origin).toEqual({
      kind: 'lambda-destination',
      functionArn: record.requestContext.functionArn,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      error: 'TypeError: x is undefined',
    });
    expect(m.event?.id).toBe(event.id);
  });

  it("tells a Lambda function's own DLQ, an SQS-moved message and an unknown one apart", () => {
    const body = JSON.stringify(event);
    expect(
      readDeadLetterMessage(message(body, { RequestID: 'r', ErrorCode: '200', ErrorMessage: 'boom' })).origin,
    ).toEqual({ kind: 'lambda-dlq', requestId: 'r', errorCode: '200', errorMessage: 'boom' });
    expect(
      readDeadLetterMessage(
        message(body, {}, { DeadLetterQueueSourceArn: 'arn:aws:sqs:eu-west-1:111122223333:work' }),
      ).origin,
    ).toEqual({ kind: 'source-queue', sourceQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:work' });
    expect(readDeadLetterMessage(message(body)).origin).toEqual({ kind: 'unknown' });
  });

  it('tells an event a Murmur queued handler refused, with its work queue and the error', () => {
    const m = readDeadLetterMessage(
      message(JSON.stringify(event), {
        MURMUR_SOURCE_QUEUE_ARN: 'arn:aws:sqs:eu-west-1:111122223333:egress-send-tweet',
        MURMUR_ERROR: 'EgressCredentialsError',
        MURMUR_ERROR_MESSAGE: 'X answered 401 Unauthorized',
      }),
    );
    expect(m.origin).toEqual({
      kind: 'handler-refused',
      sourceQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:egress-send-tweet',
      error: 'EgressCredentialsError',
      errorMessage: 'X answered 401 Unauthorized',
    });
    expect(m.event?.id).toBe(event.id);
  });

  it('says why a message is not an event: not JSON, or JSON without an envelope', () => {
    const notJson = readDeadLetterMessage(message('hello', { RULE_ARN, TARGET_ARN: TOPIC_ARN }));
    expect(notJson.event).toBeNull();
    expect(notJson.notAnEvent).toBe('the message body is not JSON');
    const noEnvelope = readDeadLetterMessage(message('{"detail":{}}', { RULE_ARN, TARGET_ARN: TOPIC_ARN }));
    expect(noEnvelope.event).toBeNull();
    expect(noEnvelope.notAnEvent).toMatch(/^not an EventBridge event \(version: /);
  });

  it('prints no receipt handle, and the body only when there is no event', () => {
    const withEvent = deadLetterJson(readDeadLetterMessage(message(JSON.stringify(event))));
    expect(JSON.stringify(withEvent)).not.toContain('secret-receipt-handle');
    expect(withEvent).not.toHaveProperty('body');
    const without = deadLetterJson(readDeadLetterMessage(message('hello')));
    expect(without).toMatchObject({ event: null, notAnEvent: 'the message body is not JSON', body: 'hello' });
  });
});

describe('targetInput: what EventBridge sent the target', () => {
  const body = JSON.stringify(event);
  const target = (extra: Partial<Target>): Target => ({ Id: 't', Arn: TOPIC_ARN, ...extra });

  it('is the event itself, byte for byte, when the target has no input settings', () => {
    expect(targetInput(target({}), event, body, RULE_ARN)).toBe(body);
  });

  it('is the constant Input when there is one', () => {
    expect(targetInput(target({ Input: '{"fixed":true}' }), event, body, RULE_ARN)).toBe('{"fixed":true}');
  });

  it('is the InputPath value as JSON', () => {
    expect(JSON.parse(targetInput(target({ InputPath: '$.detail' }), event, body, RULE_ARN))).toEqual(
      event.detail,
    );
    expect(targetInput(target({ InputPath: '$.detail.summary' }), event, body, RULE_ARN)).toBe(
      JSON.stringify(event.detail.summary),
    );
  });

  it("is a text template's text (the alert line the topic sends)", () => {
    const input = targetInput(
      target({
        InputTransformer: {
          InputPathsMap: {
            severity: '$.detail.severity',
            rule: '$.detail.rule',
            summary: '$.detail.summary',
          },
          InputTemplate: 'Murmur alert [<severity>] <rule>: <summary>',
        },
      }),
      event,
      body,
      RULE_ARN,
    );
    expect(input).toBe('Murmur alert [high] negative: a "very" unhappy customer');
  });

  it("is a JSON template's JSON, a JSON string template included, with the predefined variables", () => {
    const object = targetInput(
      target({
        InputTransformer: {
          InputPathsMap: { tags: '$.detail.tags' },
          InputTemplate:
            '{"tags": <tags>, "rule": <aws.events.rule-name>, "at": <aws.events.event.ingestion-time>}',
        },
      }),
      event,
      body,
      RULE_ARN,
    );
    expect(JSON.parse(object)).toEqual({ tags: ['a', 'b'], rule: 'alerting-notify', at: event.time });
    const string = targetInput(
      target({
        InputTransformer: { InputPathsMap: { s: '$.detail.severity' }, InputTemplate: '"level <s>"' },
      }),
      event,
      body,
      RULE_ARN,
    );
    expect(string).toBe('"level high"');
  });
});
