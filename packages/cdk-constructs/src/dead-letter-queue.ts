// The dead-letter queue every Murmur target and asynchronous invocation ends in.
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * SSE-SQS, TLS only, kept 14 days (the longest SQS allows: time for an operator to inspect and
 * redrive). `of` says whose dead letters it holds, for cdk-nag's AwsSolutions-SQS3 (a DLQ of a
 * DLQ adds nothing), e.g. `an EventBridge target`.
 */
export function deadLetterQueue(scope: Construct, id: string, of: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter queue of ${of}; a DLQ of a DLQ adds nothing.`,
  });
  return queue;
}
