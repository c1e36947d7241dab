// A handler target declared `queued: true` on AWS: rule -> SQS queue -> Lambda (event source
// mapping with ReportBatchItemFailures), instead of an asynchronous invocation. The handler can
// then wait for a given time without sleeping: `queuedHandlerLambda` (@murmur/aws-adapters) turns
// a `RetryLaterError` into a longer visibility timeout of that one message (e.g. until X's
// rate-limit reset). The embedded bus gives every handler that behaviour; nothing changes locally.
import { DEAD_LETTER_QUEUE_URL_ENV, DEFAULT_RETRY_POLICY, type RetryPolicy } from '@murmur/ports';
import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue.js';

/** AWS's advice for an SQS event source: a visibility timeout of six times the function's timeout. */
export const VISIBILITY_PER_TIMEOUT = 6;

/** Lambda's default timeout, when a function sets none. */
const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);

export interface QueuedHandlerTargetProps {
  /** The function that reads the queue (a `queuedHandlerLambda`). */
  handler: lambda.IFunction;
  /**
   * The function's timeout: the queue hides a received message six times as long, so a slow
   * invocation never sees its message delivered to another one meanwhile.
   * @default the function's own timeout (a `lambda.Function`); required for an imported one
   */
  handlerTimeout?: Duration;
  /**
   * The declared retries. The queue moves a message to the dead-letter queue after
   * `maximumRetryAttempts + 1` receives (a `RetryLaterError` counts as one), and EventBridge
   * retries its delivery into the queue by the same policy.
   * @default DEFAULT_RETRY_POLICY
   */
  retryPolicy?: RetryPolicy;
  /** Records per invocation (1-10). One keeps a slow record from holding others back. @default 1 */
  batchSize?: number;
  /** Concurrent invocations reading the queue (2-1000), e.g. to spare a rate-limited API. @default no limit */
  maxConcurrency?: number;
  /** How long an undelivered message stays in the queue. @default 4 days (SQS's default) */
  retentionPeriod?: Duration;
}

/** SQS's longest visibility timeout. */
const MAX_VISIBILITY = Duration.hours(12);

export class QueuedHandlerTarget extends Construct implements events.IRuleTarget {
  /** The queue the rule sends to and the function reads. */
  readonly queue: sqs.Queue;
  /**
   * Messages the function failed on `maximumRetryAttempts + 1` times, events it refused
   * (NonRetryableError: it sends them here itself, told by DEAD_LETTER_QUEUE_URL_ENV), and events
   * EventBridge could not deliver to the queue.
   */
  readonly deadLetterQueue: sqs.Queue;
  readonly eventSource: SqsEventSource;
  /** The number of receives before a message goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
  private readonly ruleTarget: targets.SqsQueue;

  constructor(scope: Construct, id: string, props: QueuedHandlerTargetProps) {
    super(scope, id);
    const retry = props.retryPolicy ?? DEFAULT_RETRY_POLICY;
    const { maximumRetryAttempts: attempts, maximumEventAgeInSeconds: age } = retry;
    if (!Number.isInteger(attempts) || attempts < 0 || attempts > 185) {
      throw new Error(`retryPolicy.maximumRetryAttempts must be 0..185, got ${attempts}`);
    }
    if (!Number.isInteger(age) || age < 60 || age > 86_400) {
      throw new Error(`retryPolicy.maximumEventAgeInSeconds must be 60..86400, got ${age}`);
    }
    const timeout = props.handlerTimeout ?? functionTimeout(props.handler);
    const visibility = Duration.seconds(timeout.toSeconds() * VISIBILITY_PER_TIMEOUT);
    if (visibility.toSeconds() > MAX_VISIBILITY.toSeconds()) {
      throw new Error(
        `a queued handler's timeout must be at most ${MAX_VISIBILITY.toSeconds() / VISIBILITY_PER_TIMEOUT} s ` +
          `(its queue hides messages ${VISIBILITY_PER_TIMEOUT} times as long, at most 12 hours), got ${timeout.toSeconds()} s`,
      );
    }

    this.deadLetterQueue = deadLetterQueue(
      this,
      'Dlq',
      'a queued handler target (its queue and its EventBridge delivery)',
    );

    this.maxReceiveCount = attempts + 1;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: visibility,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });

    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: props.batchSize ?? 1,
      // Only the records that failed come back; the others of the batch are done.
      reportBatchItemFailures: true,
      ...(props.maxConcurrency !== undefined ? { maxConcurrency: props.maxConcurrency } : {}),
    });
    props.handler.addEventSource(this.eventSource);
    // A refused event goes to the DLQ at once, put there by the function (queuedHandlerLambda).
    if (props.handler instanceof lambda.Function) {
      props.handler.addEnvironment(DEAD_LETTER_QUEUE_URL_ENV, this.deadLetterQueue.queueUrl);
      this.deadLetterQueue.grantSendMessages(props.handler);
    }

    this.ruleTarget = new targets.SqsQueue(this.queue, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: attempts,
      maxEventAge: Duration.seconds(age),
    });
  }

  bind(rule: events.IRule, id?: string): events.RuleTargetConfig {
    return this.ruleTarget.bind(rule, id);
  }
}

function functionTimeout(fn: lambda.IFunction): Duration {
  if (fn instanceof lambda.Function) return fn.timeout ?? LAMBDA_DEFAULT_TIMEOUT;
  throw new Error(
    `the queued handler ${fn.node.path} is not a lambda.Function of this app: give its handlerTimeout`,
  );
}
