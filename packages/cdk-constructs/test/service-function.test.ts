import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { App, type CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NODE22_RUNTIME_REASON, type ServiceFunctionOptions, serviceFunction } from '../src/index.js';

// Every Murmur Lambda: Node 22 on arm64, its own log group, a role that may write that group and
// nothing else, inline code in tests or a bundled entry, and cdk-nag's L1 acknowledged.

const ENV = { account: '111122223333', region: 'eu-west-1' };
const CODE = lambda.Code.fromInline('export const handler = async () => {};');
const ENTRY = '/nowhere/handler.ts';

const BASE: ServiceFunctionOptions = {
  service: 'egress',
  roleDescription: 'Murmur egress: test function',
  description: 'Murmur egress: a test function',
  timeout: Duration.seconds(20),
  memorySize: 384,
  logRetention: logs.RetentionDays.ONE_WEEK,
  entry: ENTRY,
  code: CODE,
};

function newStack(app = new App()): Stack {
  return new Stack(app, 'Test', { env: ENV });
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}

describe('serviceFunction', () => {
  it('runs inline code on Node 22, arm64, with its size, timeout and POWERTOOLS_SERVICE_NAME last', () => {
    // prepare
    const stack = newStack();
    // act
    serviceFunction(stack, 'Send', { ...BASE, environment: { MURMUR_BUS_NAME: 'murmur' } });
    // assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 384,
      Timeout: 20,
      Description: 'Murmur egress: a test function',
      Environment: { Variables: { MURMUR_BUS_NAME: 'murmur', POWERTOOLS_SERVICE_NAME: 'egress' } },
    });
    const fn = template.findResources('AWS::Lambda::Function');
    const variables = Object.values(fn)[0]!.Properties.Environment.Variables as Record<string, string>;
    expect(Object.keys(variables)).toEqual(['MURMUR_BUS_NAME', 'POWERTOOLS_SERVICE_NAME']);
  });

  it('gives the function its own log group (ids <id>Logs, <id>Role), deleted with the stack', () => {
    const stack = newStack();
    const fn = serviceFunction(stack, 'Send', BASE);
    const template = Template.fromStack(stack);
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(logGroups)).toEqual([expect.stringMatching(/^SendLogs/)]);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 7 },
      DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Object.keys(logGroups)[0] } },
    });
    expect(logicalId(stack, fn.role as iam.Role)).toMatch(/^SendRole/);
  });

  it('makes a role trusting Lambda, with no managed policy, allowed only to write its own log group', () => {
    const stack = newStack();
    serviceFunction(stack, 'Send', BASE);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
      },
      Description: 'Murmur egress: test function',
      ManagedPolicyArns: Match.absent(),
    });
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0]!;
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
          },
        ],
      },
    });
  });

  it('runs as a shared role when given one, and takes the log group id it is told', () => {
    // prepare
    const stack = newStack();
    const shared = new iam.Role(stack, 'Shared', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    // act
    const a = serviceFunction(stack, 'A', {
      ...BASE,
      roleDescription: undefined,
      role: shared,
      logGroupId: 'A-Logs',
    });
    const b = serviceFunction(stack, 'B', { ...BASE, roleDescription: undefined, role: shared });
    // assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    expect(a.role).toBe(shared);
    expect(b.role).toBe(shared);
    const logGroups = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups).toEqual([expect.stringMatching(/^ALogs/), expect.stringMatching(/^BLogs/)]);
    // One policy on the shared role, writing both groups.
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: logGroups.map((id) => Match.objectLike({ Resource: { 'Fn::GetAtt': [id, 'Arn'] } })),
      },
      Roles: [{ Ref: logicalId(stack, shared) }],
    });
  });

  it('configures asynchronous invocation: retries, maximum age and a dead-letter queue it may send to', () => {
    const stack = newStack();
    const dlq = new sqs.Queue(stack, 'Dlq');
    serviceFunction(stack, 'Send', {
      ...BASE,
      async: { retryAttempts: 1, maxEventAge: Duration.minutes(10), deadLetterQueue: dlq },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 600,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [logicalId(stack, dlq), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [logicalId(stack, dlq), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('adds layers only when given', () => {
    const stack = newStack();
    const layerArn = 'arn:aws:lambda:eu-west-1:111122223333:layer:images:1';
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', layerArn);
    serviceFunction(stack, 'With', { ...BASE, layers: [layer] });
    serviceFunction(stack, 'Without', BASE);
    const fns = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    const byId = (prefix: string) => fns.find(([id]) => id.startsWith(prefix))![1].Properties;
    expect(byId('With').Layers).toEqual([layerArn]);
    expect(byId('Without').Layers).toBeUndefined();
  });

  it('bundles the entry with NodejsFunction when no inline code is given', () => {
    // prepare: bundling skipped, as the stacks' tests do (the app synth bundles for real)
    const stack = newStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
    // act
    const fn = serviceFunction(stack, 'Send', {
      ...BASE,
      code: undefined,
      entry: fileURLToPath(import.meta.url),
    });
    // assess
    expect(fn).toBeInstanceOf(NodejsFunction);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'egress' } },
    });
  });

  it("acknowledges cdk-nag's AwsSolutions-L1 with the Node 22 reason", () => {
    const stack = newStack();
    const fn = serviceFunction(stack, 'Send', BASE);
    const acknowledged = fn.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => JSON.stringify(m.data));
    expect(acknowledged.join('\n')).toContain('AwsSolutions-L1');
    expect(acknowledged.join('\n')).toContain(NODE22_RUNTIME_REASON);
  });
});
