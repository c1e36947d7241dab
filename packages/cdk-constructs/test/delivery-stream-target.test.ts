// A declared `deliveryStream` target rendered for AWS: the rule puts whole events into the Firehose
// stream the stack passes (L2 or L1), with the declared retries, its own dead-letter queue, and
// an EventBridge role that may put records into that stream only.
import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_RETRY_POLICY,
  type DeliveryStreamTarget,
  defineService,
  type ServiceDeclaration,
} from '@murmur/ports';
import { App, type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { type DeliveryStreamLike, DeliveryStreamRuleTarget, renderService } from '../src/index.js';
import { roleStatements } from '../testing/index.js';

const STREAM = 'test-lake';
const RULE = 'lake-all-events';
const PATTERN = { source: [{ prefix: 'murmur.' }], 'replay-name': [{ exists: false }] };

function lakeTarget(target: Partial<DeliveryStreamTarget> = {}): DeliveryStreamTarget {
  return {
    kind: 'deliveryStream',
    streamName: STREAM,
    prefix: 'events/',
    partitionKeys: [{ name: 'event_type', field: 'detail-type' }],
    ...target,
  };
}

function lake(targets: DeliveryStreamTarget[][] = [[lakeTarget()]]): ServiceDeclaration {
  return defineService({
    name: 'analytics',
    source: 'murmur.analytics',
    description: 'test: every event into the lake',
    publishes: [],
    archives: [],
    subscriptions: targets.map((t, i) => ({
      ruleName: i === 0 ? RULE : `${RULE}-${i}`,
      description: 'every live event -> the lake',
      eventPattern: PATTERN,
      targets: t,
    })),
    handlers: {},
  });
}

type StreamKind = 'l2' | 'l1';

const ENV = { account: '111122223333', region: 'eu-west-1' };

function render(
  declaration: ServiceDeclaration,
  kind: StreamKind | 'none' = 'l2',
  env: typeof ENV | undefined = ENV,
) {
  const stack = new Stack(new App(), 'Render', env ? { env } : {});
  const bucket = new s3.Bucket(stack, 'Lake');
  let stream: DeliveryStreamLike | undefined;
  let streamArn: unknown;
  if (kind === 'l2') {
    const l2 = new firehose.DeliveryStream(stack, 'Stream', { destination: new firehose.S3Bucket(bucket) });
    stream = l2;
    streamArn = { 'Fn::GetAtt': [stack.getLogicalId(l2.node.defaultChild as CfnResource), 'Arn'] };
  } else if (kind === 'l1') {
    const l1 = new firehose.CfnDeliveryStream(stack, 'Stream', {
      deliveryStreamType: 'DirectPut',
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: 'arn:aws:iam::111122223333:role/firehose',
      },
    });
    stream = l1;
    streamArn = { 'Fn::GetAtt': [stack.getLogicalId(l1), 'Arn'] };
  }
  const rendered = renderService(
    stack,
    events.EventBus.fromEventBusName(stack, 'Bus', 'murmur'),
    declaration,
    stream ? { deliveryStreams: { [STREAM]: stream } } : {},
  );
  return { stack, rendered, streamArn, template: Template.fromStack(stack) };
}

describe.each<StreamKind>(['l2', 'l1'])('a deliveryStream target on a %s Firehose stream', (kind) => {
  // Prepare / act once: one declaration with a declared retry policy.
  const retryPolicy = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 };
  const { stack, rendered, streamArn, template } = render(lake([[lakeTarget({ retryPolicy })]]), kind);
  const rule = rendered.rules.get(RULE)!;
  const ruleId = stack.getLogicalId(rule.node.defaultChild as events.CfnRule);
  const dlq = rendered.deadLetterQueues.get(`${RULE}/stream:${STREAM}`)!;
  const dlqId = stack.getLogicalId(dlq.node.defaultChild as CfnResource);

  it('puts whole events into the stream, with the declared retries and a dead-letter queue', () => {
    const targets = template.findResources('AWS::Events::Rule')[ruleId]!.Properties.Targets as Record<
      string,
      unknown
    >[];

    expect(targets).toEqual([
      {
        Id: expect.any(String),
        Arn: streamArn,
        RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
      },
    ]);
    template.hasResourceProperties('AWS::Events::Rule', { Name: RULE, EventPattern: PATTERN });
  });

  it("gives EventBridge's role PutRecord and PutRecordBatch on this stream, and nothing else", () => {
    const targets = template.findResources('AWS::Events::Rule')[ruleId]!.Properties.Targets as {
      RoleArn: { 'Fn::GetAtt': [string, string] };
    }[];
    const roleId = targets[0]!.RoleArn['Fn::GetAtt'][0];

    expect(roleStatements(template, roleId)).toEqual([
      { Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: streamArn },
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })],
      },
    });
  });

  it('lets only this rule send to the encrypted, TLS-only dead-letter queue, kept 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
          }),
        ],
      },
    });
    expect([...rendered.deadLetterQueues.keys()]).toEqual([`${RULE}/stream:${STREAM}`]);
  });
});

describe('deliveryStream targets', () => {
  it('take the default retry policy when the declaration gives none', () => {
    // Act
    const { template } = render(lake());

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          RetryPolicy: {
            MaximumRetryAttempts: DEFAULT_RETRY_POLICY.maximumRetryAttempts,
            MaximumEventAgeInSeconds: DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds,
          },
        }),
      ],
    });
  });

  it('share one EventBridge role for an L1 stream across two rules, each with its own dead-letter queue', () => {
    // Act
    const { stack, rendered, streamArn, template } = render(lake([[lakeTarget()], [lakeTarget()]]), 'l1');

    // Assess
    for (const name of [RULE, `${RULE}-1`]) {
      const dlq = rendered.deadLetterQueues.get(`${name}/stream:${STREAM}`)!;
      template.hasResourceProperties('AWS::Events::Rule', {
        Name: name,
        Targets: [
          Match.objectLike({
            Arn: streamArn,
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [stack.getLogicalId(dlq.node.defaultChild as CfnResource), 'Arn'] },
            },
          }),
        ],
      });
    }
    expect(rendered.deadLetterQueues.size).toBe(2);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    // One EventBridge role for the stream, shared by both rules.
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  it('add nothing else to an environment-agnostic template for an L1 stream (no region mapping)', () => {
    // Act
    const { template } = render(lake(), 'l1', undefined);

    // Assess
    expect(template.toJSON().Mappings).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Stream'), 'Arn'] },
          },
        ],
      },
    });
  });

  it('fail the synth, naming the option, when no stream is given for the declared name', () => {
    expect(() => render(lake(), 'none')).toThrow(
      'service analytics: rule lake-all-events delivers to stream "test-lake", but no Firehose stream was given for it in deliveryStreams',
    );
  });

  it('refuse retry policies EventBridge would refuse', () => {
    const tooMany = lakeTarget({
      retryPolicy: { maximumRetryAttempts: 186, maximumEventAgeInSeconds: 3600 },
    });
    const tooYoung = lakeTarget({ retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 59 } });

    expect(() => render(lake([[tooMany]]))).toThrow(
      'retryPolicy.maximumRetryAttempts must be 0..185, got 186',
    );
    expect(() => render(lake([[tooYoung]]))).toThrow(
      'retryPolicy.maximumEventAgeInSeconds must be 60..86400, got 59',
    );
  });

  it('refuse a rule target without a dead-letter queue or a retry policy', () => {
    const stack = new Stack(new App(), 'Bare');
    const stream = firehose.DeliveryStream.fromDeliveryStreamName(stack, 'S', 'somewhere');

    expect(
      () => new DeliveryStreamRuleTarget(stream, { retryAttempts: 3, maxEventAge: Duration.hours(1) }),
    ).toThrow(/needs a deadLetterQueue, retryAttempts and maxEventAge/);
  });
});
