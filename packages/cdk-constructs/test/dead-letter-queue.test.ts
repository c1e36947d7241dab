import { describe, expect, it } from '@jest/globals';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { deadLetterQueue } from '../src/index.js';

// Where failed deliveries and invocations wait for an operator: encrypted, TLS only, 14 days.

describe('deadLetterQueue', () => {
  const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  const queue = deadLetterQueue(stack, 'PollDlq', 'the poll schedule');
  const template = Template.fromStack(stack);

  it('is encrypted with SQS-managed keys and kept 14 days, under the id it is given', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    expect(Object.keys(template.findResources('AWS::SQS::Queue'))[0]).toMatch(/^PollDlq/);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Principal: { AWS: '*' },
          },
        ],
      },
    });
  });

  it("acknowledges cdk-nag's AwsSolutions-SQS3 saying whose dead letters it holds", () => {
    const acknowledged = queue.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => JSON.stringify(m.data));
    expect(acknowledged).toHaveLength(1);
    expect(acknowledged[0]).toContain('AwsSolutions-SQS3');
    expect(acknowledged[0]).toContain(
      'This queue is itself the dead-letter queue of the poll schedule; a DLQ of a DLQ adds nothing.',
    );
  });
});
