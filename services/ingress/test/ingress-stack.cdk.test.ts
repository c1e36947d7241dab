import { beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { INGRESS_DEFAULTS, IngressStack } from '../infra/ingress-stack.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };

type Statement = { Action: string | string[]; Effect: string; Condition?: unknown; Resource: unknown };
const policyStatements = (template: Template): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('IngressStack', () => {
  let template: Template;
  let tuned: Template;
  let bundled: Template;

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
    template = Template.fromStack(defaults);
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
      const statements = policyStatements(template);
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
});
