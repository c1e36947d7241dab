import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  BUS_NAME_PARAMETER,
  declaredEventPatterns,
  MEDIA_BUCKET_PARAMETER,
  renderedEventPatterns,
} from '@murmur/cdk-constructs';
import {
  actionsOf,
  expectNoFindings,
  type NagReport,
  resourceEntries,
  type Statement,
  statementsOf,
  synthWithNag,
} from '@murmur/cdk-constructs/testing';
// The embedded runtime's reading of the same declaration, to prove both hold one pattern.
import { planServices } from '@murmur/embedded-runtime';
import { DEAD_LETTER_QUEUE_URL_ENV } from '@murmur/ports';
import { App, type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EGRESS_DEFAULTS, EgressStack } from '../infra/egress-stack.js';
import {
  EGRESS_EVENT_PATTERN,
  EGRESS_RETRY_POLICY,
  EGRESS_RULE_NAME,
  egressService,
} from '../src/declaration.js';
import { EGRESS_ENV } from '../src/lambda/env.js';
import { UNSET_SECRET_VALUE } from '../src/lambda/secret.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const service = () => egressService({ poster: async () => Promise.reject(new Error('not in these tests')) });

describe('EgressStack', () => {
  let stack: EgressStack;
  let template: Template;
  let bundled: Template;
  let nag: NagReport;

  beforeAll(() => {
    const app = new App();
    const code = lambda.Code.fromInline('export const handler = async () => ({ batchItemFailures: [] });');
    stack = new EgressStack(app, 'Egress', { env: ENV, code });
    template = Template.fromStack(stack);
    // The real NodejsFunction, with bundling skipped (`pnpm synth` bundles it).
    const unbundled = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const real = new EgressStack(unbundled, 'EgressBundled', { env: ENV });
    // cdk-nag 3 as infra registers it: synthesis fails on an unacknowledged error.
    nag = synthWithNag(unbundled);
    bundled = Template.fromStack(real);
  });

  it('holds exactly the rule the declaration declares, as the embedded runtime installs it', () => {
    const declared = declaredEventPatterns([service()]);
    const local = planServices([service()]).rules.map((r) => ({
      kind: 'rule' as const,
      name: r.name,
      eventPattern: r.eventPattern,
    }));

    expect(renderedEventPatterns(template.toJSON())).toEqual(declared);
    expect(declared).toEqual(local);
    expect(declared).toEqual([{ kind: 'rule', name: EGRESS_RULE_NAME, eventPattern: EGRESS_EVENT_PATTERN }]);
  });

  it('finds the bus and the media bucket through SSM parameters, not exports', () => {
    const parameters = Object.values(template.toJSON().Parameters ?? {}) as {
      Type: string;
      Default: string;
    }[];

    expect(parameters).toEqual(
      expect.arrayContaining([
        { Type: 'AWS::SSM::Parameter::Value<String>', Default: BUS_NAME_PARAMETER },
        { Type: 'AWS::SSM::Parameter::Value<String>', Default: MEDIA_BUCKET_PARAMETER },
      ]),
    );
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
  });

  it('routes the rule through an encrypted SQS queue with a DLQ to the function, not straight to it', () => {
    const queueId = stack.getLogicalId(stack.queued.queue.node.defaultChild as CfnResource);
    const dlqId = stack.getLogicalId(stack.deadLetterQueue.node.defaultChild as CfnResource);
    const fnId = stack.getLogicalId(stack.function.node.defaultChild as CfnResource);

    template.hasResourceProperties('AWS::Events::Rule', {
      Name: EGRESS_RULE_NAME,
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          RetryPolicy: {
            MaximumRetryAttempts: EGRESS_RETRY_POLICY.maximumRetryAttempts,
            MaximumEventAgeInSeconds: EGRESS_RETRY_POLICY.maximumEventAgeInSeconds,
          },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      // Longer than the function's 60 s timeout: six times it.
      VisibilityTimeout: 360,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: EGRESS_RETRY_POLICY.maximumRetryAttempts + 1,
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: fnId },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: EGRESS_DEFAULTS.maxConcurrency },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it('runs the function on Node 22, arm64, with the ports in its environment and no credential in it', () => {
    // The dead-letter queue is the one queue without a dead-letter queue of its own.
    const dlqIds = resourceEntries(bundled, 'AWS::SQS::Queue')
      .filter(([, q]) => !('RedrivePolicy' in q.Properties))
      .map(([id]) => id);
    expect(dlqIds).toHaveLength(1);
    const dlqId = dlqIds[0]!;
    bundled.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 60,
      MemorySize: 512,
      Environment: {
        Variables: {
          [EGRESS_ENV.busName]: Match.anyValue(),
          [EGRESS_ENV.idempotencyTable]: { Ref: Match.stringLikeRegexp('^IdempotencyTable') },
          [EGRESS_ENV.mediaBucket]: { Ref: Match.stringLikeRegexp('^SsmParameterValuemurmurmediabucket') },
          [EGRESS_ENV.secretArn]: { Ref: Match.stringLikeRegexp('^XSecret') },
          [EGRESS_ENV.claimSeconds]: '180',
          // Where a refused SEND_TWEET (a 401, say) goes at once, to be redriven once fixed.
          [DEAD_LETTER_QUEUE_URL_ENV]: { Ref: dlqId },
          POWERTOOLS_SERVICE_NAME: 'egress',
        },
      },
    });
    const variables = Object.keys(
      (
        Object.values(bundled.findResources('AWS::Lambda::Function'))[0] as {
          Properties: { Environment: { Variables: Record<string, unknown> } };
        }
      ).Properties.Environment.Variables,
    );
    expect(variables.filter((v) => v.startsWith('X_'))).toEqual([]);
    expect(variables).not.toContain(EGRESS_ENV.xApiUrl);
  });

  it('creates the X secret with its documented shape, holding placeholders only', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: JSON.stringify({
        X_API_KEY: UNSET_SECRET_VALUE,
        X_CONSUMER_SECRET: UNSET_SECRET_VALUE,
        X_ACCESS_TOKEN: UNSET_SECRET_VALUE,
        X_ACCESS_TOKEN_SECRET: UNSET_SECRET_VALUE,
      }),
    });
  });

  it('keeps idempotency records in an encrypted table with point-in-time recovery and a TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  describe("the function's permissions (least privilege)", () => {
    let statements: Statement[];
    beforeAll(() => {
      statements = statementsOf(template, 'SendTweetRole');
    });

    it('publishes on the bus only as murmur.egress', () => {
      const publish = statements.filter((s) => actionsOf(s).includes('events:PutEvents'));
      expect(publish).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Condition: {
            'ForAllValues:StringEquals': { 'events:source': ['murmur.egress'] },
            Null: { 'events:source': 'false' },
          },
        }),
      ]);
      template.hasResourceProperties('AWS::IAM::Role', {
        Tags: Match.arrayWith([{ Key: 'murmur-service', Value: 'egress' }]),
      });
    });

    it('uses exactly the four idempotency calls, on its own table', () => {
      const table = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
      expect(table).toHaveLength(1);
      expect(actionsOf(table[0]!).sort()).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      const tableId = stack.getLogicalId(stack.idempotencyTable.node.defaultChild as CfnResource);
      expect(table[0]!.Resource).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
    });

    it('reads the X secret and the annotated media, nothing else of S3', () => {
      const s3Statements = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
      expect(s3Statements).toHaveLength(1);
      expect(actionsOf(s3Statements[0]!)).toEqual(['s3:GetObject']);
      expect(JSON.stringify(s3Statements[0]!.Resource)).toMatch(/\/annotated\/\*"/);
      const secret = statements.filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      expect(secret).toEqual([
        expect.objectContaining({ Resource: { Ref: expect.stringMatching(/^XSecret/) } }),
      ]);
    });

    it('has no managed policy and no action on "*"', () => {
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect(
          (role as { Properties: Record<string, unknown> }).Properties.ManagedPolicyArns,
        ).toBeUndefined();
      }
      for (const s of statements) {
        expect(s.Resource).not.toEqual('*');
        expect(actionsOf(s).some((a) => a.endsWith(':*'))).toBe(false);
      }
    });
  });

  it('is cdk-nag AwsSolutions clean, every exception acknowledged with a reason', () => {
    expectNoFindings(nag);
  });

  it('takes a given bucket, prefixes and secret, and refuses a prefix with a wildcard', () => {
    const app = new App();
    const code = lambda.Code.fromInline('export const handler = async () => ({});');
    const custom = new EgressStack(app, 'Custom', {
      env: ENV,
      code,
      mediaBucket: s3.Bucket.fromBucketName(new Stack(app, 'Media', { env: ENV }), 'Bucket', 'my-media'),
      mediaKeyPrefixes: ['annotated/', 'media/'],
      timeout: Duration.seconds(30),
    });

    const s3Statement = statementsOf(Template.fromStack(custom), 'SendTweetRole').find((s) =>
      actionsOf(s).includes('s3:GetObject'),
    );
    expect(JSON.stringify(s3Statement!.Resource)).toContain('my-media/annotated/*');
    expect(JSON.stringify(s3Statement!.Resource)).toContain('my-media/media/*');
    Template.fromStack(custom).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 180 });
    expect(
      () => new EgressStack(new App(), 'Bad', { env: ENV, code, mediaKeyPrefixes: ['annotated/*'] }),
    ).toThrow('EgressStack mediaKeyPrefixes: "annotated/*" must be a key prefix ending in / (no wildcards)');
  });
});
