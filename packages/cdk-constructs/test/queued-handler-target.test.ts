import { describe, expect, it } from '@jest/globals';
import { DEAD_LETTER_QUEUE_URL_ENV, type ServiceDeclaration } from '@murmur/ports';
import { App, type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { QueuedHandlerTarget, renderService } from '../src/index.js';
import { actionsOf, policyStatements } from '../testing/index.js';

// A `queued: true` handler target renders as rule -> SQS -> Lambda: an encrypted, TLS-only queue
// with a redrive policy, a visibility timeout six times the function's, and an event source
// mapping that reports single failed records.

const noop = async () => {};
const PATTERN = { source: ['murmur.responding'], 'detail-type': ['SEND_TWEET'] };

function declaration(target: Record<string, unknown> = {}): ServiceDeclaration {
  return {
    name: 'egress',
    source: 'murmur.egress',
    description: 'test service',
    publishes: [],
    archives: [],
    subscriptions: [
      {
        ruleName: 'egress-send-tweet',
        description: 'SEND_TWEET -> X',
        eventPattern: PATTERN,
        targets: [
          {
            kind: 'handler',
            handler: 'sendTweet',
            queued: true,
            retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 86_400 },
            ...target,
          },
        ],
      },
    ],
    handlers: { sendTweet: noop },
  };
}

function stackWithFunction(timeout = Duration.seconds(60)) {
  const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'murmur' });
  const fn = new lambda.Function(stack, 'SendTweet', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => ({ batchItemFailures: [] });'),
    timeout,
  });
  return { stack, bus, fn };
}

describe('renderSubscriptions with a queued handler target', () => {
  const { stack, bus, fn } = stackWithFunction();
  const rendered = renderService(stack, bus, declaration(), { handlerFunctions: { sendTweet: fn } });
  const template = Template.fromStack(stack);
  const queued = rendered.queuedTargets.get('egress-send-tweet/sendTweet')!;
  const queueId = stack.getLogicalId(queued.queue.node.defaultChild as CfnResource);
  const dlqId = stack.getLogicalId(queued.deadLetterQueue.node.defaultChild as CfnResource);

  it('sends the rule to an SQS queue, not to the function, with the declared retries and a DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'egress-send-tweet',
      EventPattern: PATTERN,
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          Id: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        },
      ],
    });
    expect(rendered.deadLetterQueues.get('egress-send-tweet/sendTweet')).toBe(queued.deadLetterQueue);
  });

  it('makes the queue encrypted, visible again only after 6x the function timeout, and redriven after 9 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      MessageRetentionPeriod: 4 * 86_400,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 9 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
      RedrivePolicy: Match.absent(),
    });
    expect(queued.maxReceiveCount).toBe(9);
  });

  it('refuses plain HTTP on both queues, and lets only this rule send to them', () => {
    const ruleArn = {
      'Fn::GetAtt': [
        stack.getLogicalId(rendered.rules.get('egress-send-tweet')!.node.defaultChild as events.CfnRule),
        'Arn',
      ],
    };
    for (const [id, send] of [
      [queueId, Match.arrayWith(['sqs:SendMessage'])],
      [dlqId, 'sqs:SendMessage'],
    ] as const) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Action: send,
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
            }),
          ],
        },
      });
    }
  });

  it('has the function read the queue one record at a time, reporting only failed records', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction) },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // Receiving, deleting and re-timing its messages (RetryLaterError), on this queue only.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith([
              'sqs:ReceiveMessage',
              'sqs:ChangeMessageVisibility',
              'sqs:DeleteMessage',
            ]),
            Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
          }),
        ]),
      },
    });
    // No asynchronous-invocation permission for EventBridge: the rule never calls the function.
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it('tells the function its dead-letter queue, and lets it send there only, for the events it refuses', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [DEAD_LETTER_QUEUE_URL_ENV]: { Ref: dlqId } } },
    });
    const sends = policyStatements(template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('sqs:Send')),
    );
    expect(sends).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      }),
    ]);
  });
});

describe('QueuedHandlerTarget limits', () => {
  it('takes an imported function only with its timeout', () => {
    const { stack } = stackWithFunction();
    const imported = lambda.Function.fromFunctionArn(
      stack,
      'Imported',
      'arn:aws:lambda:eu-west-1:111122223333:function:elsewhere',
    );

    expect(() => new QueuedHandlerTarget(stack, 'NoTimeout', { handler: imported })).toThrow(
      /is not a lambda.Function of this app: give its handlerTimeout/,
    );
    const given = new QueuedHandlerTarget(stack, 'WithTimeout', {
      handler: imported,
      handlerTimeout: Duration.seconds(30),
      batchSize: 5,
      maxConcurrency: 2,
    });
    expect(given.queue).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('refuses a function timeout its queue could not outlast (12 hours of visibility at most)', () => {
    const { stack, fn } = stackWithFunction(Duration.minutes(15));

    expect(
      () => new QueuedHandlerTarget(stack, 'TooLong', { handler: fn, handlerTimeout: Duration.hours(3) }),
    ).toThrow(
      "a queued handler's timeout must be at most 7200 s (its queue hides messages 6 times as long, at most 12 hours), got 10800 s",
    );
  });

  it('refuses retry policies EventBridge would refuse', () => {
    const { stack, fn } = stackWithFunction();

    expect(
      () =>
        new QueuedHandlerTarget(stack, 'Bad', {
          handler: fn,
          retryPolicy: { maximumRetryAttempts: 200, maximumEventAgeInSeconds: 3600 },
        }),
    ).toThrow('retryPolicy.maximumRetryAttempts must be 0..185, got 200');
  });

  it('refuses an input transformer on a queued target: the function reads whole events', () => {
    const { stack, bus, fn } = stackWithFunction();

    expect(() =>
      renderService(
        stack,
        bus,
        declaration({ inputTransformer: { inputTemplate: '{"id": <id>}', inputPathsMap: { id: '$.id' } } }),
        { handlerFunctions: { sendTweet: fn } },
      ),
    ).toThrow(
      'service egress: rule egress-send-tweet: a queued handler target takes the whole event (no inputTransformer)',
    );
  });
});
