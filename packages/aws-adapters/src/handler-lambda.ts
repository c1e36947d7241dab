// A service's event handler as a Lambda: the very function the embedded runtime calls in-process,
// given the AWS ports. Two ways in, as the CDK renders a handler target:
//  - `eventHandlerLambda`: the rule invokes the function asynchronously with the event. A throw
//    fails the invocation, so Lambda's async retries and the on-failure destination take over.
//  - `queuedHandlerLambda`: the rule sends the event to an SQS queue the function reads. Needed
//    by handlers that must wait for a given time (`RetryLaterError`, e.g. X's rate-limit reset):
//    the message is hidden until then, instead of the handler sleeping.
import {
  ChangeMessageVisibilityCommand,
  type MessageAttributeValue,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type EventEnvelope, EventEnvelopeSchema } from '@murmur/events';
import {
  type BlobPort,
  type BusPort,
  DEAD_LETTER_QUEUE_URL_ENV,
  type Handler,
  type IdempotencyPort,
  type Logger,
  NonRetryableError,
  REFUSED_EVENT_ATTRIBUTES,
  RetryLaterError,
} from '@murmur/ports';

/** What a handler gets on AWS besides the event: built once per execution environment. */
export interface HandlerPorts {
  bus: BusPort;
  idempotency: IdempotencyPort;
  blobs: BlobPort;
  log: Logger;
}

export interface HandlerLambdaOptions {
  /** The rule that delivers to this function (the handler's `ctx.ruleName`). */
  ruleName: string;
  /** Called on the first invocation; a failure is not kept, the next invocation tries again. */
  ports: () => HandlerPorts | Promise<HandlerPorts>;
}

/** The Lambda was given something that is not an EventBridge event. */
export class NotAnEventError extends NonRetryableError {
  override readonly name = 'NotAnEventError';
}

function parseEnvelope(input: unknown): EventEnvelope {
  const parsed = EventEnvelopeSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NotAnEventError(
      `not an EventBridge event (${issue?.path.join('.') || '(input)'}: ${issue?.message}); ` +
        'handler targets take the whole event, without an input transformer',
    );
  }
  return parsed.data;
}

function lazyPorts(load: HandlerLambdaOptions['ports']): () => Promise<HandlerPorts> {
  let ports: Promise<HandlerPorts> | undefined;
  return () => {
    ports ??= Promise.resolve()
      .then(load)
      .catch((error: unknown) => {
        ports = undefined;
        throw error;
      });
    return ports;
  };
}

async function run(
  handler: Handler,
  ports: HandlerPorts,
  ruleName: string,
  event: EventEnvelope,
  attempt: number,
): Promise<void> {
  await handler(event, {
    bus: ports.bus,
    idempotency: ports.idempotency,
    blobs: ports.blobs,
    log: ports.log.child({ eventId: event.id, rule: ruleName }),
    ruleName,
    event,
    attempt,
  });
}

/**
 * EventBridge -> Lambda (asynchronous invocation). Lambda does not say which retry this is, so
 * `attempt` is 1. A `NonRetryableError` is logged and the invocation succeeds: retrying it could
 * only fail again (the handler has published what it could, e.g. TWEET_FAILED).
 */
export function eventHandlerLambda(handler: Handler, options: HandlerLambdaOptions) {
  const ports = lazyPorts(options.ports);
  return async (input: unknown): Promise<void> => {
    const loaded = await ports();
    let event: EventEnvelope | undefined;
    try {
      event = parseEnvelope(input);
      await run(handler, loaded, options.ruleName, event, 1);
    } catch (error) {
      if (!(error instanceof NonRetryableError)) throw error;
      loaded.log.error('event refused for good; not retried', {
        eventId: event?.id,
        error: error.name,
        reason: error.message,
      });
    }
  };
}

/** The parts of an SQS event this adapter reads. */
export interface SqsRecordLike {
  messageId: string;
  receiptHandle: string;
  body: string;
  eventSourceARN: string;
  attributes: { ApproximateReceiveCount: string };
}

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface QueuedHandlerLambdaOptions extends HandlerLambdaOptions {
  sqs?: SQSClient;
  /**
   * Where a refused event goes (the target's dead-letter queue). Without one, a refused event
   * is only logged and acknowledged.
   * @default process.env[DEAD_LETTER_QUEUE_URL_ENV] (QueuedHandlerTarget sets it)
   */
  deadLetterQueueUrl?: string;
}

/** SQS holds a message attribute value of up to 256 KB; a reason needs far less. */
const MAX_REASON_CHARS = 1000;

/** SQS's limit on a message's visibility timeout. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;

/** `arn:aws:sqs:<region>:<account>:<name>` -> the queue URL ChangeMessageVisibility takes. */
export function queueUrlFromArn(arn: string): string {
  const [, partition, , region, account, name] = arn.split(':');
  if (!partition || !region || !account || !name) throw new Error(`not an SQS queue ARN: ${arn}`);
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

/**
 * Rule -> SQS -> Lambda (event source mapping with ReportBatchItemFailures). Each record is one
 * event; `attempt` is its receive count. A failed record is reported, so SQS delivers it again
 * after its visibility timeout, and after the queue's maxReceiveCount moves it to the DLQ:
 *  - `RetryLaterError`: its visibility is set to the requested delay first, so it comes back
 *    no sooner (e.g. at X's rate-limit reset);
 *  - `NonRetryableError` (or a body that is not JSON): sent to the dead-letter queue at once,
 *    marked with REFUSED_EVENT_ATTRIBUTES, and acknowledged (retrying could only fail again);
 *  - anything else: back after the queue's visibility timeout.
 */
export function queuedHandlerLambda(handler: Handler, options: QueuedHandlerLambdaOptions) {
  const ports = lazyPorts(options.ports);
  const sqs = options.sqs ?? new SQSClient({});
  const deadLetterQueueUrl = options.deadLetterQueueUrl ?? process.env[DEAD_LETTER_QUEUE_URL_ENV];
  return async (input: { Records: SqsRecordLike[] }): Promise<SqsBatchResponse> => {
    const loaded = await ports();
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of input.Records) {
      const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
      let event: EventEnvelope | undefined;
      try {
        event = parseEnvelope(JSON.parse(record.body));
        await run(handler, loaded, options.ruleName, event, attempt);
      } catch (error) {
        if (error instanceof SyntaxError || error instanceof NonRetryableError) {
          loaded.log.error('event refused for good; not retried', {
            messageId: record.messageId,
            eventId: event?.id,
            reason: error.message,
            deadLetterQueue: deadLetterQueueUrl ?? 'none: acknowledged',
          });
          if (!deadLetterQueueUrl) continue;
          try {
            await sqs.send(
              new SendMessageCommand({
                QueueUrl: deadLetterQueueUrl,
                MessageBody: record.body,
                MessageAttributes: refusedAttributes(record.eventSourceARN, error),
              }),
            );
            continue;
          } catch (sendError) {
            // Not in the DLQ: the queue delivers it again rather than lose it.
            loaded.log.warn('could not dead-letter a refused event; the queue will deliver it again', {
              eventId: event?.id,
              error:
                sendError instanceof Error ? `${sendError.name}: ${sendError.message}` : String(sendError),
            });
          }
        } else if (error instanceof RetryLaterError) {
          const seconds = Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
          loaded.log.info('retrying later', { eventId: event?.id, seconds, reason: error.message });
          await sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrlFromArn(record.eventSourceARN),
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: seconds,
            }),
          );
        } else {
          loaded.log.warn('handler failed; the queue will deliver it again', {
            eventId: event?.id,
            attempt,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
        }
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

function refusedAttributes(sourceQueueArn: string, error: Error): Record<string, MessageAttributeValue> {
  const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
  const message = error.message.trim() || '(no message)';
  return {
    [REFUSED_EVENT_ATTRIBUTES.sourceQueueArn]: text(sourceQueueArn),
    [REFUSED_EVENT_ATTRIBUTES.error]: text(error.name || 'Error'),
    [REFUSED_EVENT_ATTRIBUTES.errorMessage]: text(
      message.length <= MAX_REASON_CHARS ? message : `${message.slice(0, MAX_REASON_CHARS - 1)}…`,
    ),
  };
}
