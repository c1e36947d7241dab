import { describe, expect, it } from '@jest/globals';
import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from '../src/index.js';
import {
  acknowledgedIn,
  actionsOf,
  everyStatement,
  expectNoFindings,
  expectServiceRoles,
  logicalId,
  policyStatements,
  resource,
  roleStatements,
  statementsOf,
  synthWithNag,
} from '../testing/index.js';

// The toolkit the service stacks' CDK tests share, proven on a small stack of its own.

const ENV = { account: '111122223333', region: 'eu-west-1' };
const lambdaRole = (stack: Stack, id: string) =>
  new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

/** A queue, a role that may send to it, and two roles sharing the prefix `Reader` (+ `more`). */
function smallStack({ tag = true, more = (_stack: Stack) => {} } = {}) {
  const stack = new Stack(new App(), 'Small', { env: ENV });
  const queue = new sqs.Queue(stack, 'Jobs', { enforceSSL: true });
  const worker = lambdaRole(stack, 'WorkerRole');
  queue.grantSendMessages(worker);
  for (const id of ['ReaderA', 'ReaderB']) queue.grantConsumeMessages(lambdaRole(stack, id));
  more(stack);
  if (tag) Tags.of(stack).add('murmur-service', 'test');
  return Template.fromStack(stack);
}

describe('template queries', () => {
  const template = smallStack();
  const queueArn = { 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'Jobs'), 'Arn'] };

  it('read the statements of the one role with a prefix, and of a role by its exact id', () => {
    const statements = statementsOf(template, 'WorkerRole');

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: queueArn,
      },
    ]);
    expect(roleStatements(template, logicalId(template, 'AWS::IAM::Role', 'WorkerRole'))).toEqual(statements);
    expect(roleStatements(template, 'NoSuchRole')).toEqual([]);
    expect(actionsOf({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' })).toEqual([
      'sqs:SendMessage',
    ]);
  });

  it('refuse a prefix two roles share, or none has, naming what they found', () => {
    const [a, b] = ['ReaderA', 'ReaderB'].map((p) => logicalId(template, 'AWS::IAM::Role', p));

    expect(() => statementsOf(template, 'Reader')).toThrow(
      `expected one AWS::IAM::Role Reader*, found ${a}, ${b}`,
    );
    expect(() => resource(template, 'AWS::SQS::Queue', 'Nothing')).toThrow(
      'expected one AWS::SQS::Queue Nothing*, found none',
    );
    expect(resource(template, 'AWS::IAM::Role', 'WorkerRole').Type).toBe('AWS::IAM::Role');
  });

  it('tell the policies of roles from every policy document of the template', () => {
    const identity = policyStatements(template);
    const every = everyStatement(template);

    // Worker's statement and one per reader.
    expect(identity).toHaveLength(3);
    expect(identity.flatMap(actionsOf)).toContain('sqs:ReceiveMessage');
    // ...plus the queue's own TLS-only policy.
    expect(every).toHaveLength(4);
    expect(every).toEqual(
      expect.arrayContaining([...identity, expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*' })]),
    );
  });

  it('pass roles that grant through AWS::IAM::Policy only and carry the service tag, and no others', () => {
    expect(expectServiceRoles(template, 'test')).toHaveLength(3);
    expect(() => expectServiceRoles(template, 'other')).toThrow(/murmur-service/);
    const untagged = smallStack({ tag: false });
    expect(expectServiceRoles(untagged)).toHaveLength(3);
    expect(() => expectServiceRoles(untagged, 'test')).toThrow(/murmur-service/);

    const managed = smallStack({
      more: (stack) =>
        lambdaRole(stack, 'Managed').addManagedPolicy(
          iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
        ),
    });
    const inline = smallStack({
      more: (stack) =>
        new iam.Role(stack, 'Inline', {
          assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
          inlinePolicies: {
            send: new iam.PolicyDocument({
              statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] })],
            }),
          },
        }),
    });
    expect(() => expectServiceRoles(managed, 'test')).toThrow(/ManagedPolicyArns/);
    expect(() => expectServiceRoles(inline, 'test')).toThrow(/Policies/);
  });
});

describe('cdk-nag helpers', () => {
  it('synthesize with AwsSolutions, and read a clean stack’s acknowledgements with their reasons', () => {
    const app = new App();
    const stack = new Stack(app, 'Nagged', { env: ENV });
    deadLetterQueue(stack, 'Dlq', 'the toolkit test');

    const report = synthWithNag(app);

    expectNoFindings(report, stack);
    expect(acknowledgedIn(stack)).toEqual(['AwsSolutions-SQS3']);
  });

  it('fail a synth with an unacknowledged error', () => {
    const app = new App();
    new sqs.Queue(new Stack(app, 'Unsafe', { env: ENV }), 'Plain');

    expect(() => synthWithNag(app)).toThrow(/AwsSolutions-SQS/);
  });

  it('refuse an acknowledgement without a real reason', () => {
    const stack = new Stack(new App(), 'Lazy', { env: ENV });
    const queue = deadLetterQueue(stack, 'Dlq', 'the toolkit test');
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS4', reason: 'not needed' });

    expect(() => acknowledgedIn(stack)).toThrow(/toBeGreaterThan/);
  });
});
