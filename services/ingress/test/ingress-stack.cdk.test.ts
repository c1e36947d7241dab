import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  actionsOf,
  logicalId,
  policyStatements,
  type Statement,
  statementsOf,
} from '@murmur/cdk-constructs/testing';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { INGRESS_DEFAULTS, IngressStack } from '../infra/ingress-stack.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };

/** Both functions get exactly the idempotency store's DynamoDB calls and read on the secret. */
function expectTableAndSecretGrants(statements: Statement[]): void {
  expect(statements).toContainEqual(
    expect.objectContaining({
      Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^IdempotencyTable/), 'Arn'] }],
    }),
  );
  expect(statements).toContainEqual(
    expect.objectContaining({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: { Ref: expect.stringMatching(/^XSecret/) },
    }),
  );
}

describe('IngressStack', () => {
  let template: Template;
  let tuned: Template;
  let bundled: Template;
  let polling: Template;

  beforeAll(() => {
    // Inline code keeps these tests fast.
    const app = new App();
    const code = lambda.Code.fromInline('export const handler = async () => ({ statusCode: 200 });');
    // Both stacks exist before the app synthesizes once.
    const defaults = new IngressStack(app, 'Ingress', { env: ENV, webhookCode: code });
    const custom = new IngressStack(app, 'IngressTuned', {
      env: ENV,
      webhookCode: code,
      throttlingRateLimit: 5,
      throttlingBurstLimit: 10,
    });
    const polled = new IngressStack(app, 'IngressPolling', {
      env: ENV,
      webhookCode: code,
      pollCode: code,
      pollEvery: Duration.minutes(5),
    });
    template = Template.fromStack(defaults);
    polling = Template.fromStack(polled);
    tuned = Template.fromStack(custom);
    // The real NodejsFunction, with bundling skipped (esbuild is infra's dev dependency; the app
    // synth in infra/test/nag.test.ts and `pnpm synth` bundle it).
    const unbundled = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    bundled = Template.fromStack(new IngressStack(unbundled, 'IngressBundled', { env: ENV }));
  });

  it('runs the webhook on Node 22, arm64, with a short timeout and the environment the handler reads', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 10,
      MemorySize: 512,
      Environment: {
        Variables: {
          MURMUR_BUS_NAME: { Ref: Match.stringLikeRegexp('^SsmParameterValuemurmurbusname') },
          MURMUR_IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^IdempotencyTable') },
          MURMUR_X_SECRET_ARN: { Ref: Match.stringLikeRegexp('^XSecret') },
          POWERTOOLS_SERVICE_NAME: 'ingress',
        },
      },
    });
  });

  it('deploys src/lambda/webhook.ts as a NodejsFunction with the same settings', () => {
    bundled.resourceCountIs('AWS::Lambda::Function', 1);
    bundled.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Code: { S3Key: Match.stringLikeRegexp('\\.zip$') },
    });
  });

  it('finds the bus by its SSM parameter, with no cross-stack import', () => {
    expect(template.toJSON().Parameters).toMatchObject({
      [Object.keys(template.toJSON().Parameters).find((k) =>
        k.startsWith('SsmParameterValuemurmurbusname'),
      )!]: {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: '/murmur/bus/name',
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
  });

  it('serves GET and POST /twitter through the Lambda proxy, and only those', () => {
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'twitter' });
    template.resourceCountIs('AWS::ApiGateway::Method', 2);
    for (const method of ['GET', 'POST']) {
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: method,
        ResourceId: { Ref: Match.stringLikeRegexp('^Apitwitter') },
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
    }
    // GET without crc_token is refused by API Gateway itself.
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.querystring.crc_token': true },
      RequestValidatorId: { Ref: Match.stringLikeRegexp('^ApiValidator') },
    });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestParameters: true,
      ValidateRequestBody: true,
    });
    // Only the deployed stage may invoke the function (no console test-invoke permission).
    template.resourceCountIs('AWS::Lambda::Permission', 2);
  });

  it('throttles the stage and writes an access log', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: INGRESS_DEFAULTS.stageName,
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: INGRESS_DEFAULTS.throttlingRateLimit,
          ThrottlingBurstLimit: INGRESS_DEFAULTS.throttlingBurstLimit,
        }),
      ],
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('integrationErrorMessage'),
      },
    });
    tuned.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })],
    });
  });

  it('keeps idempotency records in an on-demand, encrypted table with TTL and point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('creates the X secret with its documented shape', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: JSON.stringify({ X_ACCOUNT_ID: 'set-me' }),
        GenerateStringKey: 'X_CONSUMER_SECRET',
      },
    });
  });

  describe('IAM', () => {
    it('lets the function publish only as murmur.ingress', () => {
      const puts = policyStatements(template).filter((s) => actionsOf(s).includes('events:PutEvents'));
      expect(puts).toHaveLength(1);
      expect(puts[0]).toMatchObject({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': ['murmur.ingress'] },
          Null: { 'events:source': 'false' },
        },
      });
    });

    it('grants exactly the DynamoDB calls of the idempotency store, and read on the secret', () => {
      expectTableAndSecretGrants(policyStatements(template));
    });

    it('has no wildcard actions, no wildcard resources and no managed policies', () => {
      for (const s of policyStatements(template)) {
        for (const action of actionsOf(s)) expect(action).not.toContain('*');
        expect(JSON.stringify(s.Resource)).not.toMatch(/"\*"/);
      }
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect(
          (role as { Properties: Record<string, unknown> }).Properties.ManagedPolicyArns,
        ).toBeUndefined();
      }
    });

    it('tags the function role murmur-service=ingress, as the bus policy requires', () => {
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        },
        Tags: Match.arrayWith([{ Key: 'murmur-service', Value: 'ingress' }]),
      });
    });
  });

  it('does not poll by default: no schedule, no queue, one function', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  it('refuses a poll interval that is not whole minutes', () => {
    const app = new App();
    const webhookCode = lambda.Code.fromInline('export const handler = async () => ({});');
    expect(
      () => new IngressStack(app, 'Bad', { env: ENV, webhookCode, pollEvery: Duration.seconds(90) }),
    ).toThrow(/whole minutes/);
    expect(
      () => new IngressStack(app, 'Zero', { env: ENV, webhookCode, pollEvery: Duration.minutes(0) }),
    ).toThrow(/at least 1/);
  });

  describe('with pollEvery', () => {
    const pollFunctionId = () => logicalId(polling, 'AWS::Lambda::Function', 'Poll');

    it('runs a second function on Node 22, arm64, 60 s, with the environment the poll handler reads', () => {
      polling.resourceCountIs('AWS::Lambda::Function', 2);
      const fn = polling.findResources('AWS::Lambda::Function')[pollFunctionId()] as {
        Properties: Record<string, unknown>;
      };
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 60,
        Environment: {
          Variables: {
            MURMUR_BUS_NAME: { Ref: expect.stringMatching(/^SsmParameterValuemurmurbusname/) },
            MURMUR_IDEMPOTENCY_TABLE: { Ref: expect.stringMatching(/^IdempotencyTable/) },
            MURMUR_X_SECRET_ARN: { Ref: expect.stringMatching(/^XSecret/) },
            POWERTOOLS_SERVICE_NAME: 'ingress',
          },
        },
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^PollDlq/), 'Arn'] } },
      });
      expect(fn.Properties.Environment).not.toHaveProperty('Variables.MURMUR_X_API_URL');
      // A failed run (Scheduler invokes asynchronously) is retried twice, then dead-lettered.
      polling.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: pollFunctionId() },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 300,
      });
    });

    it('schedules it at rate(5 minutes), on the dot, with a retry policy and a dead-letter queue', () => {
      polling.resourceCountIs('AWS::Scheduler::Schedule', 1);
      polling.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [pollFunctionId(), 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [logicalId(polling, 'AWS::IAM::Role', 'PollScheduleRole'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PollDlq'), 'Arn'] } },
        },
      });
    });

    it('keeps failed runs in an encrypted, TLS-only queue for 14 days', () => {
      polling.resourceCountIs('AWS::SQS::Queue', 1);
      polling.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      polling.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it("lets the schedule's own role invoke the poll function only (and dead-letter to its queue)", () => {
      polling.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } },
            }),
          ],
        },
      });
      const statements = statementsOf(polling, 'PollScheduleRole');
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': [pollFunctionId(), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PollDlq/), 'Arn'] },
        },
      ]);
      // The only invoke permission in the stack.
      const invokes = policyStatements(polling).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
      expect(invokes).toHaveLength(1);
    });

    it('gives the poll function its own tagged role: publish as murmur.ingress, the table, the secret', () => {
      polling.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        },
        Description: Match.stringLikeRegexp('mentions poll'),
        Tags: Match.arrayWith([{ Key: 'murmur-service', Value: 'ingress' }]),
      });
      const statements = statementsOf(polling, 'PollRole');
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'events:PutEvents',
          Condition: expect.objectContaining({
            'ForAllValues:StringEquals': { 'events:source': ['murmur.ingress'] },
          }),
        }),
      );
      expectTableAndSecretGrants(statements);
      for (const s of policyStatements(polling)) {
        for (const action of actionsOf(s)) expect(action).not.toContain('*');
        expect(JSON.stringify(s.Resource)).not.toMatch(/"\*"/);
      }
    });
  });
});
