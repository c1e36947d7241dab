import { describe, expect, it } from '@jest/globals';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IDEMPOTENCY_TABLE_ACTIONS, IdempotencyTable } from '../src/index.js';

// The table DynamoDbIdempotencyStore writes: Powertools' layout, and a grant of exactly its calls.

const ENV = { account: '111122223333', region: 'eu-west-1' };

function stackWithTable() {
  const stack = new Stack(new App(), 'Test', { env: ENV });
  const table = new IdempotencyTable(stack, 'IdempotencyTable');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, table, role };
}

describe('IdempotencyTable', () => {
  it('has the Powertools layout: key id, TTL expiration, on demand, PITR, AWS-managed encryption', () => {
    // prepare / act
    const { stack } = stackWithTable();
    // assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is deleted with its stack', () => {
    const { stack } = stackWithTable();
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  it('renders exactly what the dynamodb.Table the service stacks used to declare rendered (same logical id)', () => {
    // prepare: the table as the ingress, alerting, responding and egress stacks declared it by hand
    const before = new Stack(new App(), 'Test', { env: ENV });
    new dynamodb.Table(before, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const after = new Stack(new App(), 'Test', { env: ENV });
    // act
    new IdempotencyTable(after, 'IdempotencyTable');
    // assess
    expect(Template.fromStack(after).toJSON()).toEqual(Template.fromStack(before).toJSON());
  });

  it('grants the four item actions DynamoDbIdempotencyStore calls on this table, and nothing else', () => {
    // prepare
    const { stack, table, role } = stackWithTable();
    // act
    table.grantIdempotency(role);
    // assess
    const tableArn = {
      'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable), 'Arn'],
    };
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
            Resource: [tableArn],
          },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^Role') }],
    });
    expect(IDEMPOTENCY_TABLE_ACTIONS).not.toContain('dynamodb:Scan');
    expect(IDEMPOTENCY_TABLE_ACTIONS).not.toContain('dynamodb:Query');
  });
});
