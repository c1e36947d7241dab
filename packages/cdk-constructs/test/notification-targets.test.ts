// A declared notification target rendered for AWS: an SNS topic target of the rule, with the
// declared retries, a dead-letter queue and the declared input transformer as the message.
import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_RETRY_POLICY,
  defineService,
  type NotificationTarget,
  type ServiceDeclaration,
} from '@murmur/ports';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { renderService } from '../src/index.js';

const MESSAGE = {
  inputPathsMap: { severity: '$.detail.severity', summary: '$.detail.summary' },
  inputTemplate: 'Alert [<severity>]: <summary>',
};

function telling(target: Partial<NotificationTarget> = {}): ServiceDeclaration {
  return defineService({
    name: 'alerting',
    source: 'murmur.alerting',
    description: 'test: tells people about alerts',
    publishes: [],
    archives: [],
    subscriptions: [
      {
        ruleName: 'alerting-notify',
        description: 'ALERT_RAISED -> people',
        eventPattern: { source: ['murmur.alerting'], 'detail-type': ['ALERT_RAISED'] },
        targets: [{ kind: 'notification', topic: 'alerts', ...target }],
      },
    ],
    handlers: {},
  });
}

function render(declaration: ServiceDeclaration, withTopic = true) {
  const stack = new Stack(new App(), 'Render', { env: { account: '111122223333', region: 'eu-west-1' } });
  const topic = new sns.Topic(stack, 'Alerts');
  const rendered = renderService(
    stack,
    events.EventBus.fromEventBusName(stack, 'Bus', 'murmur'),
    declaration,
    {
      ...(withTopic ? { topics: { alerts: topic } } : {}),
    },
  );
  return { rendered, template: Template.fromStack(stack) };
}

describe('notification targets', () => {
  it('publish to the topic with the declared message, retries and a dead-letter queue', () => {
    // Act
    const { rendered, template } = render(
      telling({
        retryPolicy: { maximumRetryAttempts: 12, maximumEventAgeInSeconds: 21_600 },
        inputTransformer: MESSAGE,
      }),
    );
    // Assess
    const dlq = rendered.deadLetterQueues.get('alerting-notify/topic:alerts');
    expect(dlq).toBeDefined();
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'alerting-notify',
      Targets: [
        {
          Id: 'Target0',
          Arn: { Ref: Match.stringLikeRegexp('^Alerts') },
          InputTransformer: { InputPathsMap: MESSAGE.inputPathsMap, InputTemplate: MESSAGE.inputTemplate },
          RetryPolicy: { MaximumRetryAttempts: 12, MaximumEventAgeInSeconds: 21_600 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('alertingnotifytopicalertsdlq'), 'Arn'] },
          },
        },
      ],
    });
    // EventBridge may publish to the topic, and send what it cannot deliver to the DLQ.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } }),
        ],
      },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
  });

  it("send the whole event with EventBridge's default retries when nothing else is declared", () => {
    const { template } = render(telling());
    const [target] = Object.values(template.findResources('AWS::Events::Rule'))[0]!.Properties.Targets;
    expect(target.InputTransformer).toBeUndefined();
    expect(target.RetryPolicy).toEqual({
      MaximumRetryAttempts: DEFAULT_RETRY_POLICY.maximumRetryAttempts,
      MaximumEventAgeInSeconds: DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds,
    });
  });

  it('fail the synth when no topic is given for the declared one', () => {
    expect(() => render(telling(), false)).toThrow(
      'service alerting: rule alerting-notify notifies topic "alerts", but no SNS topic was given for it in topics',
    );
  });

  it('refuse, at declaration, a topic name SNS would refuse', () => {
    expect(() => telling({ topic: 'alerts.prod' })).toThrow(
      'service alerting: rule alerting-notify notifies topic "alerts.prod"; a topic name is 1-256 of A-Z a-z 0-9 _ -',
    );
  });
});
