import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { listDeadLetterQueues } from '../src/aws/index.js';
import { cliHome } from './helpers.js';

const sqs = mockClient(SQSClient);
const eventbridge = mockClient(EventBridgeClient);
const lambda = mockClient(LambdaClient);
const sfn = mockClient(SFNClient);
const sns = mockClient(SNSClient);
const mocks = [sqs, eventbridge, lambda, sfn, sns];

const ACCOUNT = '111122223333';
const url = (name: string) => `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/${name}`;
const arn = (name: string) => `arn:aws:sqs:eu-west-1:${ACCOUNT}:${name}`;

// The queues of a deployed Murmur, and one that is not Murmur's.
const ANALYSIS_DLQ = 'Murmur-Analysis-SubscriptionsanalyseonreceivedAnalyseMessagedlq-AAA';
const ALERTING_DLQ = 'Murmur-Alerting-SubscriptionsalertingnotifyalertsDlq-BBB';
const EGRESS_WORK = 'Murmur-Egress-SendQueue-CCC';
const EGRESS_DLQ = 'Murmur-Egress-SendDlq-DDD';
const FOREIGN = 'other-app-jobs';

const RULE_ARN = `arn:aws:events:eu-west-1:${ACCOUNT}:rule/murmur/analyse-on-received`;
const MACHINE_ARN = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:AnalyseMessage`;
const ALERT_RULE_ARN = `arn:aws:events:eu-west-1:${ACCOUNT}:rule/murmur/alerting-notify`;
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:murmur-alerts`;
const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:Murmur-Egress-Send:$LATEST`;

function event(
  id: string,
  detailType = 'MESSAGE_RECEIVED',
  detail: Record<string, unknown> = { text: 'hi' },
) {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: 'murmur.ingress',
    account: ACCOUNT,
    time: '2025-03-01T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

function deadLetter(id: string, body: string, attributes: Record<string, string> = {}): Message {
  return {
    MessageId: id,
    ReceiptHandle: `handle-${id}`,
    Body: body,
    Attributes: { SentTimestamp: '1740823260000', ApproximateReceiveCount: '1' },
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
    ),
  };
}

const fromRule = (ruleArn: string, targetArn: string) => ({
  RULE_ARN: ruleArn,
  TARGET_ARN: targetArn,
  ERROR_CODE: 'SDK_CLIENT_ERROR',
  ERROR_MESSAGE: 'Rate exceeded',
  RETRY_ATTEMPTS: '185',
  EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeExhausted',
});

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

/** The account: ListQueues in two pages, tags, attributes. `messages` by queue name. */
function deployed(messages: Partial<Record<string, number>> = {}) {
  sqs
    .on(ListQueuesCommand)
    .resolvesOnce({ QueueUrls: [url(ANALYSIS_DLQ), url(EGRESS_WORK), url(FOREIGN)], NextToken: 'more' })
    .resolves({ QueueUrls: [url(EGRESS_DLQ), url(ALERTING_DLQ)] });
  const tags: Record<string, Record<string, string>> = {
    [ANALYSIS_DLQ]: { 'murmur-service': 'analysis', 'aws:cloudformation:stack-name': 'Murmur-Analysis' },
    [ALERTING_DLQ]: { 'murmur-service': 'alerting' },
    [EGRESS_WORK]: { 'murmur-service': 'egress' },
    [EGRESS_DLQ]: { 'murmur-service': 'egress' },
    [FOREIGN]: { team: 'other' },
  };
  for (const [name, t] of Object.entries(tags)) {
    sqs.on(ListQueueTagsCommand, { QueueUrl: url(name) }).resolves({ Tags: t });
  }
  for (const name of [ANALYSIS_DLQ, ALERTING_DLQ, EGRESS_WORK, EGRESS_DLQ]) {
    sqs.on(GetQueueAttributesCommand, { QueueUrl: url(name) }).resolves({
      Attributes: {
        QueueArn: arn(name),
        ApproximateNumberOfMessages: String(messages[name] ?? 0),
        ApproximateNumberOfMessagesNotVisible: '0',
        ApproximateNumberOfMessagesDelayed: '0',
        ...(name === EGRESS_WORK
          ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(EGRESS_DLQ), maxReceiveCount: 5 }) }
          : {}),
      },
    });
  }
}

const sessions: ReturnType<typeof cliHome>[] = [];
const session = () => {
  const s = cliHome({ MURMUR_AWS_POLL_MS: '0', AWS_REGION: 'eu-west-1' });
  sessions.push(s);
  return s;
};

beforeEach(() => {
  for (const m of mocks) m.reset();
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
  sqs.on(DeleteMessageCommand).resolves({});
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.cleanup();
});
afterAll(() => {
  for (const m of mocks) m.restore();
});

const tableLines = (out: string[]) => out.join('\n').split('\n');

describe('finding the Murmur dead-letter queues', () => {
  it('keeps queues tagged murmur-service without a redrive policy, with the sources that point at them', async () => {
    deployed({ [ANALYSIS_DLQ]: 2, [EGRESS_DLQ]: 3 });

    const queues = await listDeadLetterQueues(new SQSClient({ region: 'eu-west-1' }));

    expect(queues.map((q) => [q.service, q.name, q.messages, q.sourceQueueArns])).toEqual([
      ['alerting', ALERTING_DLQ, 0, []],
      ['analysis', ANALYSIS_DLQ, 2, []],
      ['egress', EGRESS_DLQ, 3, [arn(EGRESS_WORK)]],
    ]);
    expect(queues[1]).toMatchObject({
      url: url(ANALYSIS_DLQ),
      arn: arn(ANALYSIS_DLQ),
      stack: 'Murmur-Analysis',
    });
    expect(sqs.commandCalls(ListQueuesCommand).map((c) => c.args[0].input)).toEqual([
      { MaxResults: 1000 },
      { MaxResults: 1000, NextToken: 'more' },
    ]);
    // The foreign queue was never described.
    expect(sqs.commandCalls(GetQueueAttributesCommand, { QueueUrl: url(FOREIGN) })).toHaveLength(0);
  });

  it('skips a queue deleted while it was being listed', async () => {
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: [url(ANALYSIS_DLQ), url(ALERTING_DLQ)] });
    sqs
      .on(ListQueueTagsCommand, { QueueUrl: url(ANALYSIS_DLQ) })
      .rejects(awsError('QueueDoesNotExist', 'The specified queue does not exist.'));
    sqs
      .on(ListQueueTagsCommand, { QueueUrl: url(ALERTING_DLQ) })
      .resolves({ Tags: { 'murmur-service': 'alerting' } });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: arn(ALERTING_DLQ) } });
    const queues = await listDeadLetterQueues(new SQSClient({ region: 'eu-west-1' }));
    expect(queues.map((q) => q.name)).toEqual([ALERTING_DLQ]);
  });
});

describe('murmur dlq --aws list', () => {
  it('prints each DLQ with its messages and how redrive would work', async () => {
    deployed({ [ANALYSIS_DLQ]: 2, [EGRESS_DLQ]: 3 });

    const result = await session().run('dlq', '--aws', 'list');

    expect(result.code).toBe(0);
    const lines = tableLines(result.out);
    expect(lines[0]).toMatch(/^QUEUE\s+SERVICE\s+MESSAGES\s+IN FLIGHT\s+REDRIVE$/);
    expect(lines[1]).toMatch(new RegExp(`^${ALERTING_DLQ}\\s+alerting\\s+0\\s+0\\s+deliver to the targets$`));
    expect(lines[2]).toMatch(new RegExp(`^${ANALYSIS_DLQ}\\s+analysis\\s+2\\s+0\\s+deliver to the targets$`));
    expect(lines[3]).toMatch(
      new RegExp(`^${EGRESS_DLQ}\\s+egress\\s+3\\s+0\\s+move back to ${EGRESS_WORK}$`),
    );
    expect(result.err).toEqual(['3 dead-letter queue(s) in eu-west-1, about 5 message(s) waiting']);
  });

  it('prints one queue per line with --json, and says when there is none', async () => {
    deployed();
    const json = await session().run('dlq', 'list', '--aws', '--json');
    expect(json.out.map((l) => JSON.parse(l).service)).toEqual(['alerting', 'analysis', 'egress']);

    sqs.reset();
    sqs.on(ListQueuesCommand).resolves({});
    const none = await session().run('dlq', '--aws', 'list');
    expect(none.code).toBe(0);
    expect(none.out).toEqual([]);
    expect(none.err).toEqual([
      'no Murmur dead-letter queues in eu-west-1 (SQS queues tagged murmur-service without a redrive policy)',
    ]);
  });

  it('peeks at a queue: receives, prints, and makes every message visible again without deleting any', async () => {
    deployed({ [ANALYSIS_DLQ]: 2 });
    const good = deadLetter('m-1', JSON.stringify(event('e-1')), fromRule(RULE_ARN, MACHINE_ARN));
    const junk = deadLetter('m-2', 'hello', fromRule(RULE_ARN, MACHINE_ARN));
    sqs
      .on(ReceiveMessageCommand, { QueueUrl: url(ANALYSIS_DLQ) })
      .resolvesOnce({ Messages: [good, junk] })
      .resolves({ Messages: [{ ...good, ReceiptHandle: 'handle-m-1-again' }] });

    const result = await session().run('dlq', '--aws', 'list', '--queue', 'analyse');

    expect(result.code).toBe(0);
    const lines = tableLines(result.out);
    expect(lines[0]).toMatch(/^MESSAGE\s+SENT\s+FROM\s+TARGET\s+RECEIVES\s+DETAIL-TYPE\s+EVENT\s+ERROR$/);
    expect(lines[1]).toMatch(
      /^m-1\s+2025-03-01T10:01:00.000Z\s+rule analyse-on-received\s+AnalyseMessage\s+1\s+MESSAGE_RECEIVED\s+e-1\s+SDK_CLIENT_ERROR: Rate exceeded$/,
    );
    expect(lines[2]).toMatch(
      /^m-2\s.*\(not an event\)\s+SDK_CLIENT_ERROR: Rate exceeded; the message body is not JSON$/,
    );
    expect(lines).toHaveLength(3);
    const receive = sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input;
    expect(receive).toMatchObject({
      QueueUrl: url(ANALYSIS_DLQ),
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 30,
      MessageAttributeNames: ['All'],
    });
    expect(receive.MessageSystemAttributeNames).toEqual(
      expect.arrayContaining(['SentTimestamp', 'ApproximateReceiveCount', 'DeadLetterQueueSourceArn']),
    );
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    const released = sqs
      .commandCalls(ChangeMessageVisibilityBatchCommand)
      .flatMap((c) => c.args[0].input.Entries);
    expect(released.map((e) => [e?.ReceiptHandle, e?.VisibilityTimeout])).toEqual([
      ['handle-m-1-again', 0],
      ['handle-m-2', 0],
    ]);
    expect(result.err[0]).toMatch(
      new RegExp(`^2 of about 2 message\\(s\\) in ${ANALYSIS_DLQ}, left in the queue`),
    );
  });

  it('peeks as JSON lines, up to --max, never printing a receipt handle', async () => {
    deployed({ [ANALYSIS_DLQ]: 5 });
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [deadLetter('m-1', JSON.stringify(event('e-1')), fromRule(RULE_ARN, MACHINE_ARN))],
    });

    const result = await session().run(
      'dlq',
      'list',
      '--aws',
      '--queue',
      url(ANALYSIS_DLQ),
      '--max',
      '1',
      '--json',
    );

    expect(result.code).toBe(0);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.MaxNumberOfMessages).toBe(1);
    expect(result.out).toHaveLength(1);
    expect(result.out[0]).not.toContain('handle-');
    expect(JSON.parse(result.out[0]!)).toMatchObject({
      messageId: 'm-1',
      origin: { kind: 'rule-target', ruleArn: RULE_ARN, targetArn: MACHINE_ARN, retryAttempts: 185 },
      event: { id: 'e-1' },
    });
  });

  it('peeks at an empty queue', async () => {
    deployed();
    sqs.on(ReceiveMessageCommand).resolves({});
    const result = await session().run('dlq', '--aws', 'list', '--queue', ALERTING_DLQ);
    expect(result.code).toBe(0);
    expect(tableLines(result.out)).toHaveLength(1);
    expect(result.err[0]).toMatch(/^0 of about 0 message\(s\) in Murmur-Alerting-/);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(0);
  });

  it.each([
    ['Murmur', /^"Murmur" matches 3 dead-letter queues: .*; be more specific$/],
    ['nope', /^no Murmur dead-letter queue matches "nope"; there are: /],
    [EGRESS_WORK, /^no Murmur dead-letter queue matches "Murmur-Egress-SendQueue-CCC"/],
  ])('refuses --queue %s that names no single DLQ', async (queue, message) => {
    deployed();
    const result = await session().run('dlq', '--aws', 'list', '--queue', queue);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(message)]);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it('reports AccessDenied on ListQueues in one line', async () => {
    sqs.on(ListQueuesCommand).rejects(awsError('AccessDenied', 'not authorized to perform: sqs:listqueues'));
    const result = await session().run('dlq', '--aws', 'list');
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(
        /^SQS ListQueues: AccessDenied: not authorized .*\(your AWS identity lacks this permission/,
      ),
    ]);
  });
});

describe('murmur dlq --aws redrive, to the targets', () => {
  const machineEvent = event('e-1');
  const alert = event('e-2', 'ALERT_RAISED', { severity: 'high', rule: 'negative', summary: 'angry' });
  const record = {
    version: '1.0',
    timestamp: '2025-03-01T10:00:05.000Z',
    requestContext: {
      requestId: 'r',
      functionArn: FUNCTION_ARN,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: event('e-3', 'SEND_TWEET', { text: 'reply' }),
    responsePayload: { errorType: 'Error', errorMessage: 'X said 503' },
  };
  const messages = [
    deadLetter('m-1', JSON.stringify(machineEvent), fromRule(RULE_ARN, MACHINE_ARN)),
    deadLetter('m-2', JSON.stringify(alert), fromRule(ALERT_RULE_ARN, TOPIC_ARN)),
    deadLetter('m-3', JSON.stringify(record)),
    deadLetter('m-4', 'not json at all', fromRule(RULE_ARN, MACHINE_ARN)),
    deadLetter('m-5', JSON.stringify(event('e-5')), fromRule(RULE_ARN, `${MACHINE_ARN}-old`)),
  ];

  function targets() {
    eventbridge
      .on(ListTargetsByRuleCommand, { Rule: 'analyse-on-received', EventBusName: 'murmur' })
      .resolves({ Targets: [{ Id: 'AnalyseMessage', Arn: MACHINE_ARN, RoleArn: 'arn:role' }] });
    eventbridge.on(ListTargetsByRuleCommand, { Rule: 'alerting-notify', EventBusName: 'murmur' }).resolves({
      Targets: [
        {
          Id: 'alerts',
          Arn: TOPIC_ARN,
          InputTransformer: {
            InputPathsMap: { severity: '$.detail.severity', summary: '$.detail.summary' },
            InputTemplate: 'Murmur alert [<severity>]: <summary>',
          },
        },
      ],
    });
  }

  it('delivers each event to the target that missed it, deletes what was delivered, and leaves the rest', async () => {
    deployed({ [ANALYSIS_DLQ]: 5 });
    targets();
    sqs
      .on(ReceiveMessageCommand, { QueueUrl: url(ANALYSIS_DLQ) })
      .resolvesOnce({ Messages: messages })
      .resolves({});
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: `${MACHINE_ARN.replace('stateMachine', 'execution')}:x1` });
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    const result = await session().run('dlq', '--aws', 'redrive', '--queue', 'analyse');

    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: MACHINE_ARN, input: JSON.stringify(machineEvent) },
    ]);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      { TopicArn: TOPIC_ARN, Message: 'Murmur alert [high]: angry' },
    ]);
    const invoke = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(invoke).toMatchObject({ FunctionName: FUNCTION_ARN, InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(invoke.Payload as Uint8Array))).toEqual(record.requestPayload);
    // One ListTargetsByRule per rule, however many messages it has.
    expect(eventbridge.commandCalls(ListTargetsByRuleCommand)).toHaveLength(2);

    expect(
      sqs
        .commandCalls(DeleteMessageCommand)
        .map((c) => c.args[0].input.ReceiptHandle)
        .sort(),
    ).toEqual(['handle-m-1', 'handle-m-2', 'handle-m-3']);
    const released = sqs
      .commandCalls(ChangeMessageVisibilityBatchCommand)
      .flatMap((c) => c.args[0].input.Entries);
    expect(released.map((e) => [e?.ReceiptHandle, e?.VisibilityTimeout])).toEqual([
      ['handle-m-4', 0],
      ['handle-m-5', 0],
    ]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.VisibilityTimeout).toBe(300);

    expect(result.out).toEqual([
      `${ANALYSIS_DLQ}: 3 dead letter(s) redriven to their targets, 2 left in the queue`,
    ]);
    expect(result.err).toEqual([
      '  left m-4: the message body is not JSON',
      `  left m-5 (event e-5 MESSAGE_RECEIVED): rule ${RULE_ARN} no longer has the target ${MACHINE_ARN}-old`,
      '2 dead letter(s) left in their queue: the reasons are above (or in --json)',
    ]);
    expect(result.code).toBe(1);
  });

  it('reports per queue as JSON, and exits 0 when everything was redriven', async () => {
    deployed({ [ANALYSIS_DLQ]: 1 });
    targets();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [messages[0]!] })
      .resolves({});
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:aws:states:eu-west-1:1:execution:AnalyseMessage:x' });

    const result = await session().run('dlq', '--aws', 'redrive', '--json');

    expect(result.code).toBe(0);
    expect(result.out.map((l) => JSON.parse(l))).toEqual([
      {
        queue: ANALYSIS_DLQ,
        service: 'analysis',
        mode: 'targets',
        redriven: 1,
        left: [],
        moveTask: null,
        stopped: null,
      },
    ]);
    // Only queues with messages are visited.
    expect(
      sqs.commandCalls(ReceiveMessageCommand).every((c) => c.args[0].input.QueueUrl === url(ANALYSIS_DLQ)),
    ).toBe(true);
  });

  it('stops at the first AccessDenied instead of failing every message alike, and deletes nothing', async () => {
    deployed({ [ANALYSIS_DLQ]: 20 });
    targets();
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [deadLetter('m-1', JSON.stringify(machineEvent), fromRule(RULE_ARN, MACHINE_ARN))],
    });
    sfn
      .on(StartExecutionCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: states:StartExecution'));

    const result = await session().run('dlq', '--aws', 'redrive', '--queue', 'analyse');

    expect(result.code).toBe(1);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(1);
    expect(result.err.at(-1)).toMatch(
      /^redrive stopped: Step Functions StartExecution AnalyseMessage: AccessDeniedException: not authorized/,
    );
  });

  it('redrives at most --max messages', async () => {
    deployed({ [ANALYSIS_DLQ]: 5 });
    targets();
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [messages[0]!] });
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:aws:states:eu-west-1:1:execution:AnalyseMessage:x' });

    const result = await session().run('dlq', '--aws', 'redrive', '--queue', 'analyse', '--max', '1');

    expect(result.code).toBe(0);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.MaxNumberOfMessages).toBe(1);
    expect(result.out).toEqual([
      `${ANALYSIS_DLQ}: 1 dead letter(s) redriven to their targets, 0 left in the queue`,
    ]);
  });

  it("leaves a Lambda function's own dead letter, which names no function, with the reason", async () => {
    deployed({ [ALERTING_DLQ]: 1 });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          deadLetter('m-9', JSON.stringify(alert), {
            RequestID: 'req',
            ErrorCode: '200',
            ErrorMessage: 'Task timed out',
          }),
        ],
      })
      .resolves({});
    const result = await session().run('dlq', '--aws', 'redrive');
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(
        /^ {2}left m-9 \(event e-2 ALERT_RAISED\): from a Lambda function's own dead-letter queue/,
      ),
      '1 dead letter(s) left in their queue: the reasons are above (or in --json)',
    ]);
    expect(result.out).toEqual([
      `${ALERTING_DLQ}: 0 dead letter(s) redriven to their targets, 1 left in the queue`,
    ]);
    expect(lambda.calls()).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it("sends a message SQS moved here from a queue that is not Murmur's back to that queue", async () => {
    deployed({ [ALERTING_DLQ]: 1 });
    const moved: Message = {
      ...deadLetter('m-7', JSON.stringify(event('e-7'))),
      Attributes: { SentTimestamp: '1740823260000', DeadLetterQueueSourceArn: arn('elsewhere-work') },
    };
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [moved] })
      .resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'x' });
    const result = await session().run('dlq', '--aws', 'redrive', '--queue', 'Alerting');
    expect(result.code).toBe(0);
    expect(sqs.commandCalls(DeleteMessageCommand)[0]!.args[0].input.ReceiptHandle).toBe('handle-m-7');
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: url('elsewhere-work'), MessageBody: JSON.stringify(event('e-7')) },
    ]);
  });

  it('sends an event a queued handler refused back to the queue it came from, and lists why it was refused', async () => {
    deployed({ [ALERTING_DLQ]: 1 });
    const refused: Message = {
      ...deadLetter('m-8', JSON.stringify(event('e-8'))),
      MessageAttributes: {
        MURMUR_SOURCE_QUEUE_ARN: { DataType: 'String', StringValue: arn('elsewhere-work') },
        MURMUR_ERROR: { DataType: 'String', StringValue: 'NonRetryableError' },
        MURMUR_ERROR_MESSAGE: { DataType: 'String', StringValue: 'X answered 401 Unauthorized' },
      },
    };
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [refused] });
    const listed = await session().run('dlq', '--aws', 'list', '--queue', 'Alerting');
    expect(listed.out.join('\n')).toContain('NonRetryableError: X answered 401 Unauthorized');

    sqs.reset();
    deployed({ [ALERTING_DLQ]: 1 });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [refused] })
      .resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'x' });
    sqs.on(DeleteMessageCommand).resolves({});
    const result = await session().run('dlq', '--aws', 'redrive', '--queue', 'Alerting');
    expect(result.code).toBe(0);
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: url('elsewhere-work'), MessageBody: JSON.stringify(event('e-8')) },
    ]);
    expect(sqs.commandCalls(DeleteMessageCommand)[0]!.args[0].input.ReceiptHandle).toBe('handle-m-8');
  });

  it('says there is nothing to do when every DLQ is empty', async () => {
    deployed();
    const result = await session().run('dlq', '--aws', 'redrive');
    expect(result.code).toBe(0);
    expect(result.out).toEqual(['nothing to redrive: every Murmur dead-letter queue is empty']);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });
});

describe('murmur dlq --aws redrive, by a move task', () => {
  it('moves the messages of a DLQ with a source queue back into it with StartMessageMoveTask', async () => {
    deployed({ [EGRESS_DLQ]: 3 });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({
        Results: [
          {
            TaskHandle: 'task-1',
            Status: 'RUNNING',
            ApproximateNumberOfMessagesMoved: 1,
            ApproximateNumberOfMessagesToMove: 3,
          },
        ],
      })
      .resolves({
        Results: [
          {
            TaskHandle: 'task-1',
            Status: 'COMPLETED',
            ApproximateNumberOfMessagesMoved: 3,
            ApproximateNumberOfMessagesToMove: 3,
          },
        ],
      });

    const result = await session().run('dlq', '--aws', 'redrive', '--queue', 'SendDlq');

    expect(result.code).toBe(0);
    // Its one source is named: the events EventBridge could not put in the work queue go there too.
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      SourceArn: arn(EGRESS_DLQ),
      DestinationArn: arn(EGRESS_WORK),
    });
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
    expect(result.out).toEqual([
      `${EGRESS_DLQ}: 3 message(s) moved back to ${EGRESS_WORK} (move task COMPLETED)`,
    ]);
  });

  it('exits 1 with the failure reason of a failed move task', async () => {
    deployed({ [EGRESS_DLQ]: 3 });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [
        {
          TaskHandle: 'task-1',
          Status: 'FAILED',
          ApproximateNumberOfMessagesMoved: 0,
          FailureReason: 'AccessDenied',
        },
      ],
    });
    const result = await session().run('dlq', '--aws', 'redrive', '--queue', 'SendDlq');
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      `${EGRESS_DLQ}: 0 message(s) moved back to ${EGRESS_WORK} (move task FAILED: AccessDenied)`,
    ]);
    expect(result.err).toEqual(['1 move task(s) did not complete']);
  });

  it('cancels the move task on Ctrl-C and exits 130', async () => {
    deployed({ [EGRESS_DLQ]: 3 });
    const s = session();
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    let cancelled = false;
    sqs.on(ListMessageMoveTasksCommand).callsFake(() => {
      if (!cancelled) s.interrupt();
      return {
        Results: [
          {
            TaskHandle: 'task-1',
            Status: cancelled ? 'CANCELLED' : 'RUNNING',
            ApproximateNumberOfMessagesMoved: 1,
          },
        ],
      };
    });
    sqs.on(CancelMessageMoveTaskCommand).callsFake(() => {
      cancelled = true;
      return { ApproximateNumberOfMessagesMoved: 1 };
    });

    const result = await s.run('dlq', '--aws', 'redrive', '--queue', 'SendDlq');

    expect(result.code).toBe(130);
    expect(sqs.commandCalls(CancelMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      TaskHandle: 'task-1',
    });
    expect(result.out).toEqual([
      `${EGRESS_DLQ}: 1 message(s) moved back to ${EGRESS_WORK} (move task CANCELLED)`,
    ]);
    expect(result.err).toEqual(['redrive interrupted (Ctrl-C)']);
  });
});

describe('bad dlq options', () => {
  it.each([
    [['dlq', '--aws', 'redrive', '--max', '0'], '--max 0 is not a whole number of messages (1 or more)'],
    [
      ['dlq', '--aws', 'list', '--queue', 'x', '--max', 'ten'],
      '--max ten is not a whole number of messages (1 or more)',
    ],
    [['dlq', 'list', '--queue', 'x'], '--queue only goes with --aws'],
    [['dlq', 'redrive', '--region', 'eu-west-1', '--max', '2'], '--region, --max only go with --aws'],
    [
      ['dlq', '--aws', 'list', '--all'],
      '--all has no meaning with --aws: a redriven message leaves its queue',
    ],
    [
      ['dlq', '--aws', 'redrive', '--id', '1'],
      '--id names local dead letters; with --aws, choose a queue with --queue',
    ],
  ])('%j: %s', async (argv, message) => {
    const result = await session().run(...argv);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([message]);
    expect(sqs.calls()).toHaveLength(0);
  });
});
