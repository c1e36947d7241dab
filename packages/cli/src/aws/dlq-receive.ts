// Receiving dead letters and giving them back. SQS has no peek: every receive hides the message
// for its visibility timeout and adds one to its ApproximateReceiveCount. On a Murmur DLQ that is
// harmless (a DLQ has no redrive policy of its own, so no count moves anything anywhere), and the
// messages are made visible again as soon as the command is done with them.
import {
  ChangeMessageVisibilityBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { awsCall } from './clients.js';
import { type DeadLetterMessage, RECEIVE_ATTRIBUTES, readDeadLetterMessage } from './dlq-messages.js';

export interface QueueRef {
  name: string;
  url: string;
}

/** Up to 10 messages, hidden for `visibilitySeconds`. Waits up to a second, so SQS asks every server. */
export async function receiveDeadLetters(
  sqs: SQSClient,
  queue: QueueRef,
  count: number,
  visibilitySeconds: number,
): Promise<DeadLetterMessage[]> {
  const out = await awsCall(`SQS ReceiveMessage ${queue.name}`, () =>
    sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.max(1, Math.min(10, count)),
        VisibilityTimeout: visibilitySeconds,
        WaitTimeSeconds: 1,
        ...RECEIVE_ATTRIBUTES,
      }),
    ),
  );
  return (out.Messages ?? []).map(readDeadLetterMessage);
}

/**
 * Makes the messages visible again at once (visibility 0). Returns how many SQS did not release;
 * those come back by themselves when their visibility timeout ends.
 */
export async function releaseDeadLetters(
  sqs: SQSClient,
  queue: QueueRef,
  messages: readonly Pick<DeadLetterMessage, 'receiptHandle'>[],
): Promise<number> {
  let failed = 0;
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    try {
      const out = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queue.url,
          Entries: chunk.map((m, j) => ({
            Id: `m${i + j}`,
            ReceiptHandle: m.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      failed += out.Failed?.length ?? 0;
    } catch {
      failed += chunk.length;
    }
  }
  return failed;
}
