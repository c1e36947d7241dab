// `murmur dlq --aws list|redrive`: the dead-letter queues of the Murmur stacks, as the local DLQ.
import { CliError, type CliIO } from '../io.js';
import { renderTable } from '../table.js';
import { shortName } from './arn.js';
import { type AwsConnectionOptions, createAwsClients, requireRegion } from './clients.js';
import { type DeadLetterMessage, deadLetterJson } from './dlq-messages.js';
import { PEEK_VISIBILITY_SECONDS, peekDeadLetters } from './dlq-peek.js';
import { type DeadLetterQueue, findDeadLetterQueue, listDeadLetterQueues } from './dlq-queues.js';
import { type QueueRedriveReport, redriveDeadLetterQueue } from './dlq-redrive.js';
import { Interruption, pollIntervalMs } from './poll.js';

export interface AwsDlqOptions extends AwsConnectionOptions {
  queue?: string;
  /** Only queues whose name starts with this (ListQueues' QueueNamePrefix, e.g. `Murmur-`). */
  prefix?: string;
  max?: number;
  json?: boolean;
}

export const DEFAULT_PEEK = 10;

function redriveWay(q: DeadLetterQueue): string {
  return q.sourceQueueArns.length
    ? `move back to ${q.sourceQueueArns.map(shortName).join(', ')}`
    : 'deliver to the targets';
}

/** Where a message came from, and what failed, in two short columns. */
function originColumns(m: DeadLetterMessage): { from: string; target: string; error: string } {
  const o = m.origin;
  switch (o.kind) {
    case 'rule-target':
      return {
        from: `rule ${shortName(o.ruleArn)}`,
        target: shortName(o.targetArn),
        error: [o.errorCode, o.errorMessage].filter(Boolean).join(': '),
      };
    case 'lambda-destination':
      return {
        from: 'lambda destination',
        target: shortName(o.functionArn),
        error: o.error ?? o.condition ?? '',
      };
    case 'lambda-dlq':
      return {
        from: 'lambda dlq',
        target: '?',
        error: [o.errorCode, o.errorMessage].filter(Boolean).join(': '),
      };
    case 'source-queue':
      return { from: `queue ${shortName(o.sourceQueueArn)}`, target: shortName(o.sourceQueueArn), error: '' };
    case 'handler-refused':
      return {
        from: `refused from ${shortName(o.sourceQueueArn)}`,
        target: shortName(o.sourceQueueArn),
        error: [o.error, o.errorMessage].filter(Boolean).join(': '),
      };
    case 'unknown':
      return { from: '?', target: '?', error: '' };
  }
}

async function connect(io: CliIO, opts: AwsDlqOptions) {
  const clients = createAwsClients(opts, io.env);
  const region = await requireRegion(clients.sqs);
  const queues = await listDeadLetterQueues(clients.sqs, opts.prefix ? { prefix: opts.prefix } : {});
  return { clients, region, queues };
}

export async function runAwsDlqList(io: CliIO, opts: AwsDlqOptions): Promise<void> {
  const { clients, region, queues } = await connect(io, opts);
  if (opts.queue !== undefined) {
    const queue = findDeadLetterQueue(queues, opts.queue);
    const { messages, notReleased } = await peekDeadLetters(clients.sqs, queue, opts.max ?? DEFAULT_PEEK);
    if (opts.json) {
      for (const m of messages) io.out(JSON.stringify(deadLetterJson(m)));
    } else {
      io.out(
        renderTable(
          ['MESSAGE', 'SENT', 'FROM', 'TARGET', 'RECEIVES', 'DETAIL-TYPE', 'EVENT', 'ERROR'],
          messages.map((m) => {
            const o = originColumns(m);
            return [
              m.messageId,
              m.sentAt ?? '-',
              o.from,
              o.target,
              m.receiveCount ?? '-',
              m.event?.['detail-type'] ?? '-',
              m.event?.id ?? '(not an event)',
              m.event ? o.error : `${o.error ? `${o.error}; ` : ''}${m.notAnEvent}`,
            ];
          }),
        ),
      );
    }
    io.err(
      `${messages.length} of about ${queue.messages} message(s) in ${queue.name}, left in the queue ` +
        '(SQS has no peek: each receive adds one to the receive count, harmless on a DLQ)' +
        (notReleased ? `; ${notReleased} stay hidden for up to ${PEEK_VISIBILITY_SECONDS} s` : ''),
    );
    return;
  }

  if (opts.json) {
    for (const q of queues) io.out(JSON.stringify(q));
    return;
  }
  if (queues.length === 0) {
    io.err(
      `no Murmur dead-letter queues in ${region} (SQS queues tagged murmur-service without a redrive policy)`,
    );
    return;
  }
  io.out(
    renderTable(
      ['QUEUE', 'SERVICE', 'MESSAGES', 'IN FLIGHT', 'REDRIVE'],
      queues.map((q) => [q.name, q.service, q.messages, q.inFlight, redriveWay(q)]),
    ),
  );
  const waiting = queues.reduce((n, q) => n + q.messages, 0);
  io.err(`${queues.length} dead-letter queue(s) in ${region}, about ${waiting} message(s) waiting`);
}

function summaryLine(r: QueueRedriveReport, q: DeadLetterQueue): string {
  if (r.mode === 'move-task') {
    if (!r.moveTask) return `${r.queue}: empty, nothing to redrive`;
    const t = r.moveTask;
    return (
      `${r.queue}: ${t.moved} message(s) moved back to ${q.sourceQueueArns.map(shortName).join(', ')} ` +
      `(move task ${t.status}${t.failureReason ? `: ${t.failureReason}` : ''})`
    );
  }
  if (r.redriven === 0 && r.left.length === 0) return `${r.queue}: empty, nothing to redrive`;
  return `${r.queue}: ${r.redriven} dead letter(s) redriven to their targets, ${r.left.length} left in the queue`;
}

export async function runAwsDlqRedrive(io: CliIO, opts: AwsDlqOptions): Promise<void> {
  const { clients, queues } = await connect(io, opts);
  const selected =
    opts.queue !== undefined
      ? [findDeadLetterQueue(queues, opts.queue)]
      : queues.filter((q) => q.messages > 0 || q.inFlight > 0);
  if (selected.length === 0) {
    io.out('nothing to redrive: every Murmur dead-letter queue is empty');
    return;
  }
  const interruption = new Interruption(io.interrupted);
  let left = 0;
  let failedTasks = 0;
  let stopped: string | null = null;
  for (const queue of selected) {
    if (interruption.interrupted) break;
    const report = await redriveDeadLetterQueue(clients, queue, {
      interruption,
      intervalMs: pollIntervalMs(io.env),
      ...(opts.max !== undefined ? { max: opts.max } : {}),
      onMessage: (o) => {
        if (!o.redriven && !opts.json) {
          io.err(
            `  left ${o.messageId}${o.eventId ? ` (event ${o.eventId} ${o.detailType})` : ''}: ${o.detail}`,
          );
        }
      },
    });
    io.out(opts.json ? JSON.stringify(report) : summaryLine(report, queue));
    left += report.left.length;
    if (report.moveTask && report.moveTask.status !== 'COMPLETED') failedTasks++;
    stopped ??= report.stopped;
  }
  if (interruption.interrupted) throw new CliError(`redrive interrupted (Ctrl-C)`, 130);
  if (stopped) throw new CliError(`redrive ${stopped}`);
  if (left > 0) {
    throw new CliError(`${left} dead letter(s) left in their queue: the reasons are above (or in --json)`);
  }
  if (failedTasks > 0) throw new CliError(`${failedTasks} move task(s) did not complete`);
}
