// What a message in a Murmur dead-letter queue is, and which event it carries. Four writers:
//  - EventBridge, for a rule target it could not deliver to: the body is the event, and the
//    message attributes RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION
//    and RETRY_ATTEMPTS say where it was going and why it failed;
//  - Lambda, for an asynchronous invocation that failed, through an on-failure destination: the
//    body is an invocation record whose requestPayload is the event and requestContext.functionArn
//    the function;
//  - Lambda, through a function's own dead-letter queue: the body is the payload, the attributes
//    RequestID, ErrorCode and ErrorMessage name no function;
//  - SQS, moving a message a work queue failed on too often: the body is as it was, the system
//    attribute DeadLetterQueueSourceArn names the work queue;
//  - a Murmur queued handler, for an event it refused (NonRetryableError): the body is as it was,
//    REFUSED_EVENT_ATTRIBUTES (@murmur/ports) name the work queue and the error.
import type { Message } from '@aws-sdk/client-sqs';
import { type EventEnvelope, EventEnvelopeSchema } from '@murmur/events';
import { REFUSED_EVENT_ATTRIBUTES } from '@murmur/ports';
import { z } from 'zod';

export type DeadLetterOrigin =
  | {
      kind: 'rule-target';
      ruleArn: string;
      targetArn: string;
      errorCode: string | null;
      errorMessage: string | null;
      retryAttempts: number | null;
      exhaustedRetryCondition: string | null;
    }
  | {
      kind: 'lambda-destination';
      functionArn: string;
      condition: string | null;
      approximateInvokeCount: number | null;
      error: string | null;
    }
  | { kind: 'lambda-dlq'; requestId: string | null; errorCode: string | null; errorMessage: string | null }
  | { kind: 'source-queue'; sourceQueueArn: string }
  | { kind: 'handler-refused'; sourceQueueArn: string; error: string | null; errorMessage: string | null }
  | { kind: 'unknown' };

export interface DeadLetterMessage {
  messageId: string;
  /** Needed to delete or release it; never printed. */
  receiptHandle: string;
  sentAt: string | null;
  /** SQS's ApproximateReceiveCount, this receive included. */
  receiveCount: number | null;
  origin: DeadLetterOrigin;
  /** The EventBridge event it carries; null when it carries none, with the reason in `notAnEvent`. */
  event: EventEnvelope | null;
  notAnEvent: string | null;
  body: string;
}

/** What ReceiveMessage must ask for so `readDeadLetterMessage` can classify. */
export const RECEIVE_ATTRIBUTES = {
  MessageAttributeNames: ['All'],
  MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount', 'DeadLetterQueueSourceArn'] as (
    | 'SentTimestamp'
    | 'ApproximateReceiveCount'
    | 'DeadLetterQueueSourceArn'
  )[],
};

/** Lambda's asynchronous invocation record, as an on-failure destination receives it. */
const InvocationRecordSchema = z.object({
  version: z.string(),
  requestContext: z.object({
    requestId: z.string().optional(),
    functionArn: z.string().startsWith('arn:'),
    condition: z.string().optional(),
    approximateInvokeCount: z.number().optional(),
  }),
  requestPayload: z.unknown(),
  responsePayload: z.unknown().optional(),
});

type InvocationRecord = z.infer<typeof InvocationRecordSchema>;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The event in `value`, or why it is not one (worded like the Lambda adapter's NotAnEventError). */
export function asEvent(value: unknown): { event: EventEnvelope } | { notAnEvent: string } {
  const parsed = EventEnvelopeSchema.safeParse(value);
  if (parsed.success) return { event: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    notAnEvent: `not an EventBridge event (${issue?.path.join('.') || '(body)'}: ${issue?.message})`,
  };
}

function errorOfRecord(record: InvocationRecord): string | null {
  const payload = record.responsePayload;
  if (payload && typeof payload === 'object') {
    const { errorType, errorMessage } = payload as { errorType?: unknown; errorMessage?: unknown };
    if (typeof errorType === 'string' || typeof errorMessage === 'string') {
      return [errorType, errorMessage].filter((s) => typeof s === 'string').join(': ');
    }
  }
  return null;
}

const numberOrNull = (value: string | undefined) => {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) ? n : null;
};

export function readDeadLetterMessage(message: Message): DeadLetterMessage {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const system = message.Attributes ?? {};
  const body = message.Body ?? '';
  const json = parseJson(body);
  const sentMs = numberOrNull(system.SentTimestamp);
  const common = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    sentAt: sentMs === null ? null : new Date(sentMs).toISOString(),
    receiveCount: numberOrNull(system.ApproximateReceiveCount),
    body,
  };
  const withEvent = (origin: DeadLetterOrigin, carried: { ok: true; value: unknown } | { ok: false }) => {
    const found = carried.ok ? asEvent(carried.value) : { notAnEvent: 'the message body is not JSON' };
    return 'event' in found
      ? { ...common, origin, event: found.event, notAnEvent: null }
      : { ...common, origin, event: null, notAnEvent: found.notAnEvent };
  };

  const ruleArn = attribute('RULE_ARN');
  const targetArn = attribute('TARGET_ARN');
  if (ruleArn && targetArn) {
    return withEvent(
      {
        kind: 'rule-target',
        ruleArn,
        targetArn,
        errorCode: attribute('ERROR_CODE') ?? null,
        errorMessage: attribute('ERROR_MESSAGE') ?? null,
        retryAttempts: numberOrNull(attribute('RETRY_ATTEMPTS')),
        exhaustedRetryCondition: attribute('EXHAUSTED_RETRY_CONDITION') ?? null,
      },
      json,
    );
  }
  const record = json.ok ? InvocationRecordSchema.safeParse(json.value) : undefined;
  if (record?.success) {
    const { requestContext } = record.data;
    return withEvent(
      {
        kind: 'lambda-destination',
        functionArn: requestContext.functionArn,
        condition: requestContext.condition ?? null,
        approximateInvokeCount: requestContext.approximateInvokeCount ?? null,
        error: errorOfRecord(record.data),
      },
      { ok: true, value: record.data.requestPayload },
    );
  }
  if (attribute('RequestID') !== undefined || attribute('ErrorCode') !== undefined) {
    return withEvent(
      {
        kind: 'lambda-dlq',
        requestId: attribute('RequestID') ?? null,
        errorCode: attribute('ErrorCode') ?? null,
        errorMessage: attribute('ErrorMessage') ?? null,
      },
      json,
    );
  }
  const refusedFrom = attribute(REFUSED_EVENT_ATTRIBUTES.sourceQueueArn);
  if (refusedFrom) {
    return withEvent(
      {
        kind: 'handler-refused',
        sourceQueueArn: refusedFrom,
        error: attribute(REFUSED_EVENT_ATTRIBUTES.error) ?? null,
        errorMessage: attribute(REFUSED_EVENT_ATTRIBUTES.errorMessage) ?? null,
      },
      json,
    );
  }
  if (system.DeadLetterQueueSourceArn) {
    return withEvent({ kind: 'source-queue', sourceQueueArn: system.DeadLetterQueueSourceArn }, json);
  }
  return withEvent({ kind: 'unknown' }, json);
}

/** A message as `--json` prints it: no receipt handle, the body only when it is not an event. */
export function deadLetterJson(m: DeadLetterMessage): Record<string, unknown> {
  return {
    messageId: m.messageId,
    sentAt: m.sentAt,
    receiveCount: m.receiveCount,
    origin: m.origin,
    event: m.event,
    ...(m.event ? {} : { notAnEvent: m.notAnEvent, body: m.body }),
  };
}
