// `dlq --aws redrive`: dead letters back to where they were going, then out of the DLQ.
//  - A DLQ with source queues (a work queue's redrive policy names it): SQS StartMessageMoveTask
//    moves the messages back, server side. A queued handler target's DLQ also holds the events
//    EventBridge could not deliver into the work queue (QueuedHandlerTarget in @murmur/cdk-constructs
//    gives both the same DLQ); those have no source queue, but the work queue is their target too,
//    so with a single source queue the task names it as the destination and every message goes there.
//  - Any other DLQ (EventBridge rule targets, Lambda on-failure destinations): no source queue to
//    move to, so each message's event is delivered again to the target that missed it (see
//    target-delivery.ts), and the message is deleted only once that call has succeeded. A
//    message that cannot be redriven (not an event, an unknown origin, a target that is gone)
//    stays in the queue, visible again when the command ends, and is reported with the reason.

import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CancelMessageMoveTaskCommand,
  DeleteMessageCommand,
  ListMessageMoveTasksCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { awsCall, awsError, isIdentityError } from './clients.js';
import type { DeadLetterMessage } from './dlq-messages.js';
import type { DeadLetterQueue } from './dlq-queues.js';
import { receiveDeadLetters, releaseDeadLetters } from './dlq-receive.js';
import { type Interruption, sleep } from './poll.js';
import { type DeliveryClients, deliverToTarget, RuleTargets, targetInput } from './target-delivery.js';

export interface RedriveClients extends DeliveryClients {
  events: EventBridgeClient;
  sqs: SQSClient;
}

/** Hidden from other readers while it is being delivered: ample for one batch of ten calls. */
export const REDRIVE_VISIBILITY_SECONDS = 300;

export interface MessageOutcome {
  messageId: string;
  eventId: string | null;
  detailType: string | null;
  redriven: boolean;
  /** What was done ("invoked function x"), or why the message was left in the queue. */
  detail: string;
}

export interface MoveTaskReport {
  taskHandle: string;
  status: string;
  moved: number;
  toMove: number | null;
  failureReason: string | null;
}

export interface QueueRedriveReport {
  queue: string;
  service: string;
  mode: 'targets' | 'move-task';
  redriven: number;
  /** Messages left in the queue, each with the reason. */
  left: MessageOutcome[];
  moveTask: MoveTaskReport | null;
  /** Why it stopped before the queue was empty (Ctrl-C, missing permissions), if it did. */
  stopped: string | null;
}

export interface RedriveOptions {
  interruption: Interruption;
  /** At most this many messages (per-message redrive only). */
  max?: number;
  /** Move tasks: how often to ask SQS how far it has come. */
  intervalMs: number;
  onMessage?: (outcome: MessageOutcome) => void;
  onMoveProgress?: (task: MoveTaskReport) => void;
}

export async function redriveDeadLetterQueue(
  clients: RedriveClients,
  queue: DeadLetterQueue,
  options: RedriveOptions,
): Promise<QueueRedriveReport> {
  return queue.sourceQueueArns.length > 0
    ? redriveByMoveTask(clients.sqs, queue, options)
    : redriveToTargets(clients, queue, options);
}

// ---- per message ----

const outcome = (m: DeadLetterMessage, redriven: boolean, detail: string): MessageOutcome => ({
  messageId: m.messageId,
  eventId: m.event?.id ?? null,
  detailType: m.event?.['detail-type'] ?? null,
  redriven,
  detail,
});

/** Where the message's event goes, and with which input; or why it goes nowhere. */
async function plan(
  m: DeadLetterMessage,
  ruleTargets: RuleTargets,
): Promise<{ targetArn: string; input: string; messageGroupId?: string } | { leave: string }> {
  if (!m.event) return { leave: m.notAnEvent ?? 'not an EventBridge event' };
  const origin = m.origin;
  switch (origin.kind) {
    case 'rule-target': {
      const target = await ruleTargets.find(origin.ruleArn, origin.targetArn);
      if (!target) {
        return { leave: `rule ${origin.ruleArn} no longer has the target ${origin.targetArn}` };
      }
      const groupId = target.SqsParameters?.MessageGroupId;
      return {
        targetArn: origin.targetArn,
        input: targetInput(target, m.event, m.body, origin.ruleArn),
        ...(groupId ? { messageGroupId: groupId } : {}),
      };
    }
    case 'lambda-destination': {
      // The payload as Lambda received it (the record's requestPayload), not a re-serialised copy.
      const record = JSON.parse(m.body) as { requestPayload: unknown };
      return { targetArn: origin.functionArn, input: JSON.stringify(record.requestPayload) };
    }
    case 'source-queue':
    case 'handler-refused':
      // Its work queue is not a Murmur queue (else a move task would run): send it back by hand.
      return { targetArn: origin.sourceQueueArn, input: m.body };
    case 'lambda-dlq':
      return {
        leave:
          "from a Lambda function's own dead-letter queue, which does not say which function failed: " +
          'invoke the function with the event yourself (dlq --aws list --queue ... --json shows it), then delete the message',
      };
    case 'unknown':
      return {
        leave:
          "neither an EventBridge target's nor a Lambda destination's dead letter: nowhere known to send it",
      };
  }
}

async function redriveOne(
  clients: RedriveClients,
  queue: DeadLetterQueue,
  m: DeadLetterMessage,
  ruleTargets: RuleTargets,
): Promise<{ outcome: MessageOutcome; fatal?: unknown }> {
  let done: string;
  try {
    const planned = await plan(m, ruleTargets);
    if ('leave' in planned) return { outcome: outcome(m, false, planned.leave) };
    done = await deliverToTarget(clients, planned.targetArn, planned.input, {
      ...(planned.messageGroupId ? { messageGroupId: planned.messageGroupId } : {}),
      ...(m.event ? { deduplicationId: m.event.id } : {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: outcome(m, false, message), ...(isIdentityError(error) ? { fatal: error } : {}) };
  }
  try {
    await awsCall(`SQS DeleteMessage ${queue.name}`, () =>
      clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.receiptHandle })),
    );
  } catch (error) {
    // Delivered, but still in the DLQ: a second redrive would deliver it again. Say so.
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: outcome(m, false, `${done}, but the message stays in the queue: ${message}`) };
  }
  return { outcome: outcome(m, true, done) };
}

async function redriveToTargets(
  clients: RedriveClients,
  queue: DeadLetterQueue,
  options: RedriveOptions,
): Promise<QueueRedriveReport> {
  const ruleTargets = new RuleTargets(clients.events);
  const left = new Map<string, { message: DeadLetterMessage; outcome: MessageOutcome }>();
  let redriven = 0;
  let stopped: string | null = null;
  try {
    for (;;) {
      const budget = options.max === undefined ? 10 : options.max - redriven - left.size;
      if (budget <= 0) break;
      if (options.interruption.interrupted) {
        stopped = 'interrupted (Ctrl-C)';
        break;
      }
      const batch = await receiveDeadLetters(clients.sqs, queue, budget, REDRIVE_VISIBILITY_SECONDS);
      const fresh: DeadLetterMessage[] = [];
      for (const m of batch) {
        const known = left.get(m.messageId);
        if (known)
          known.message = m; // the newest receipt handle is the one that releases it
        else fresh.push(m);
      }
      // Empty, or only messages already left behind: every message has had its turn.
      if (fresh.length === 0) break;
      const results = await Promise.all(fresh.map((m) => redriveOne(clients, queue, m, ruleTargets)));
      results.forEach((r, i) => {
        options.onMessage?.(r.outcome);
        if (r.outcome.redriven) redriven++;
        else left.set(r.outcome.messageId, { message: fresh[i]!, outcome: r.outcome });
      });
      const fatal = results.find((r) => r.fatal !== undefined);
      if (fatal) {
        stopped = `stopped: ${fatal.outcome.detail}`;
        break;
      }
    }
  } finally {
    await releaseDeadLetters(
      clients.sqs,
      queue,
      [...left.values()].map((l) => l.message),
    );
  }
  return {
    queue: queue.name,
    service: queue.service,
    mode: 'targets',
    redriven,
    left: [...left.values()].map((l) => l.outcome),
    moveTask: null,
    stopped,
  };
}

// ---- move task ----

const FINAL_MOVE_STATES = ['COMPLETED', 'CANCELLED', 'FAILED'];

async function redriveByMoveTask(
  sqs: SQSClient,
  queue: DeadLetterQueue,
  options: RedriveOptions,
): Promise<QueueRedriveReport> {
  const report = (moveTask: MoveTaskReport | null, stopped: string | null): QueueRedriveReport => ({
    queue: queue.name,
    service: queue.service,
    mode: 'move-task',
    redriven: moveTask?.moved ?? 0,
    left: [],
    moveTask,
    stopped,
  });
  if (queue.messages === 0) return report(null, null);

  // One source: named, so the events EventBridge dead-lettered on their way into it go there too.
  // Several: no DestinationArn, and SQS moves each message back to the queue it came from.
  const [only, ...others] = queue.sourceQueueArns;
  const started = await awsCall(`SQS StartMessageMoveTask ${queue.name}`, () =>
    sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: queue.arn,
        ...(only && others.length === 0 ? { DestinationArn: only } : {}),
      }),
    ),
  );
  const taskHandle = started.TaskHandle ?? '';
  let cancelRequested = false;
  for (;;) {
    const listed = await awsCall(`SQS ListMessageMoveTasks ${queue.name}`, () =>
      sqs.send(new ListMessageMoveTasksCommand({ SourceArn: queue.arn, MaxResults: 10 })),
    );
    const entry = listed.Results?.find((r) => r.TaskHandle === taskHandle) ?? listed.Results?.[0];
    const task: MoveTaskReport = {
      taskHandle,
      status: entry?.Status ?? 'UNKNOWN',
      moved: entry?.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: entry?.ApproximateNumberOfMessagesToMove ?? null,
      failureReason: entry?.FailureReason || null,
    };
    options.onMoveProgress?.(task);
    if (FINAL_MOVE_STATES.includes(task.status)) {
      return report(task, cancelRequested && task.status === 'CANCELLED' ? 'interrupted (Ctrl-C)' : null);
    }
    if (cancelRequested) {
      await sleep(options.intervalMs);
      continue;
    }
    if (await options.interruption.pause(options.intervalMs)) {
      cancelRequested = true;
      try {
        await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle }));
      } catch (error) {
        // A task that ended meanwhile cannot be cancelled; its final status is read next.
        if (!/ResourceNotFound|InvalidState|UnsupportedOperation/.test((error as Error).name)) {
          throw awsError(`SQS CancelMessageMoveTask ${queue.name}`, error);
        }
      }
    }
  }
}
