import { beforeAll, describe, expect, it } from '@jest/globals';
import { declaredEventPatterns, renderedEventPatterns } from '@murmur/cdk-constructs';
import {
  acknowledgedIn,
  actionsOf,
  expectNoFindings,
  logicalId,
  type NagReport,
  policyStatements,
  resourceEntries,
  type Statement,
  synthWithNag,
} from '@murmur/cdk-constructs/testing';
// The embedded runtime's reading of the same declaration, to prove both runtimes hold one set of rules.
import { planServices } from '@murmur/embedded-runtime';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ALERTING_DEFAULTS, AlertingStack } from '../infra/alerting-stack.js';
import {
  ALERT_MESSAGE,
  type AlertingConfig,
  alertingService,
  DEFAULT_ALERTING_CONFIG,
  NOTIFY_RETRY,
  RAISE_ALERT_RETRY,
} from '../src/index.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const CODE = lambda.Code.fromInline('export const handler = async () => {};');
const TUNED: AlertingConfig = {
  toxicityThreshold: 0.7,
  moderationMinConfidence: 80,
  keywords: ['refund', 'never arrived'],
  watchedScreenNames: ['g'],
  watchedAuthorIds: ['2244994945'],
};
const SUBSCRIBERS = {
  emails: ['ops@example.com'],
  sms: ['+447700900123'],
  https: ['https://alerts.example.com/sns'],
};

/** Rule name -> the MURMUR_ALERT_RULE of the function its target invokes. */
function ruleToFunctionRule(template: Template): Record<string, string> {
  const functions = Object.fromEntries(
    resourceEntries(template, 'AWS::Lambda::Function').map(([id, r]) => [
      id,
      (r.Properties.Environment as { Variables: Record<string, string> }).Variables.MURMUR_ALERT_RULE!,
    ]),
  );
  const out: Record<string, string> = {};
  for (const [, rule] of resourceEntries(template, 'AWS::Events::Rule')) {
    for (const target of rule.Properties.Targets as { Arn: { 'Fn::GetAtt'?: [string, string] } }[]) {
      const fn = target.Arn['Fn::GetAtt']?.[0];
      if (fn) out[rule.Properties.Name as string] = functions[fn]!;
    }
  }
  return out;
}

describe('AlertingStack', () => {
  let template: Template;
  let tuned: Template;
  let bundled: Template;

  beforeAll(() => {
    // Inline code keeps these tests fast; both stacks exist before the app synthesizes once.
    const app = new App();
    const defaults = new AlertingStack(app, 'Alerting', { env: ENV, code: CODE });
    const custom = new AlertingStack(app, 'AlertingTuned', {
      env: ENV,
      code: CODE,
      alerting: TUNED,
      subscriptions: SUBSCRIBERS,
    });
    template = Template.fromStack(defaults);
    tuned = Template.fromStack(custom);
    // The real NodejsFunctions, with bundling skipped (the app synth bundles them).
    const unbundled = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    bundled = Template.fromStack(new AlertingStack(unbundled, 'AlertingBundled', { env: ENV }));
  });

  describe('rules', () => {
    it('hold exactly the patterns of the declaration, as the embedded runtime installs them', () => {
      for (const [t, config] of [
        [template, DEFAULT_ALERTING_CONFIG],
        [tuned, TUNED],
      ] as const) {
        // Prepare
        const service = alertingService(config);
        const local = planServices([service]).rules.map((r) => ({
          kind: 'rule' as const,
          name: r.name,
          eventPattern: r.eventPattern,
        }));
        // Act
        const rendered = renderedEventPatterns(t.toJSON());
        // Assess
        expect(rendered).toEqual(declaredEventPatterns([service]));
        expect(rendered).toEqual([...local].sort((a, b) => `rule:${a.name}`.localeCompare(`rule:${b.name}`)));
      }
      expect(renderedEventPatterns(tuned.toJSON()).map((p) => p.name)).toEqual([
        'alerting-image-moderation',
        'alerting-keyword',
        'alerting-negative-sentiment',
        'alerting-notify',
        'alerting-toxic-text',
        'alerting-watched-author',
      ]);
    });

    it('invoke, for each condition, the function that knows it is that rule', () => {
      expect(ruleToFunctionRule(template)).toEqual({
        'alerting-negative-sentiment': 'alerting-negative-sentiment',
        'alerting-toxic-text': 'alerting-toxic-text',
        'alerting-image-moderation': 'alerting-image-moderation',
      });
      expect(Object.entries(ruleToFunctionRule(tuned)).every(([rule, fn]) => rule === fn)).toBe(true);
      expect(Object.keys(ruleToFunctionRule(tuned))).toHaveLength(5);
    });

    it('give every target the declared retries and a dead-letter queue', () => {
      for (const [, rule] of resourceEntries(template, 'AWS::Events::Rule')) {
        const [target] = rule.Properties.Targets as Record<string, unknown>[];
        const retry = rule.Properties.Name === 'alerting-notify' ? NOTIFY_RETRY : RAISE_ALERT_RETRY;
        expect(target).toMatchObject({
          RetryPolicy: {
            MaximumRetryAttempts: retry.maximumRetryAttempts,
            MaximumEventAgeInSeconds: retry.maximumEventAgeInSeconds,
          },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/dlq/), 'Arn'] } },
        });
      }
    });

    it('publish ALERT_RAISED to the topic as the declared readable message', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        Name: 'alerting-notify',
        Targets: [
          Match.objectLike({
            Arn: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
            InputTransformer: {
              InputPathsMap: ALERT_MESSAGE.inputPathsMap,
              InputTemplate: ALERT_MESSAGE.inputTemplate,
            },
          }),
        ],
      });
    });
  });

  describe('the topic', () => {
    it('is encrypted with a rotated customer key, and takes publishes over TLS only', () => {
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'events.amazonaws.com' },
            }),
          ]),
        },
      });
    });

    it('lets EventBridge use the key (an encrypted topic needs it), and SNS too once it keeps undeliverable alerts', () => {
      const keyPolicy = (t: Template) =>
        (resourceEntries(t, 'AWS::KMS::Key')[0]![1].Properties.KeyPolicy as { Statement: Statement[] })
          .Statement;
      const usedBy = (t: Template, service: string) =>
        keyPolicy(t).filter((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: service }));
      expect(usedBy(template, 'events.amazonaws.com').flatMap(actionsOf).sort()).toEqual([
        'kms:Decrypt',
        'kms:GenerateDataKey*',
      ]);
      expect(usedBy(template, 'sns.amazonaws.com')).toEqual([]);
      expect(usedBy(tuned, 'sns.amazonaws.com').flatMap(actionsOf).sort()).toEqual([
        'kms:Decrypt',
        'kms:GenerateDataKey*',
      ]);
    });

    it('has no subscriptions unless given, and each given one keeps what it cannot deliver', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      const subs = resourceEntries(tuned, 'AWS::SNS::Subscription').map(([, r]) => r.Properties);
      expect(subs.map((s) => [s.Protocol, s.Endpoint])).toEqual([
        ['email', 'ops@example.com'],
        ['sms', '+447700900123'],
        ['https', 'https://alerts.example.com/sns'],
      ]);
      const queue = logicalId(tuned, 'AWS::SQS::Queue', 'UndeliverableAlerts');
      for (const s of subs)
        expect(s.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } });
      tuned.hasResourceProperties('AWS::SQS::Queue', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
      });
    });
  });

  describe('the raise-alert functions', () => {
    it('run on Node 22, arm64, with the variables the entry reads, including the conditions', () => {
      tuned.resourceCountIs('AWS::Lambda::Function', 5);
      tuned.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 10,
        Environment: {
          Variables: {
            MURMUR_ALERT_RULE: 'alerting-keyword',
            MURMUR_BUS_NAME: { Ref: Match.stringLikeRegexp('^SsmParameterValuemurmurbusname') },
            MURMUR_IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^IdempotencyTable') },
            MURMUR_ALERT_TOXICITY: '0.7',
            MURMUR_ALERT_MODERATION: '80',
            MURMUR_ALERT_KEYWORDS: 'refund,never arrived',
            MURMUR_ALERT_AUTHORS: 'g,id:2244994945',
            POWERTOOLS_SERVICE_NAME: 'alerting',
          },
        },
      });
      bundled.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
      });
    });

    it('send invocations that failed after their retries to a dead-letter queue', () => {
      const queue = logicalId(template, 'AWS::SQS::Queue', 'RaiseAlertFailures');
      for (const [, fn] of resourceEntries(template, 'AWS::Lambda::Function')) {
        expect(fn.Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } });
      }
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 3);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: ALERTING_DEFAULTS.invokeRetries,
      });
    });

    it('may publish only as murmur.alerting, use the idempotency table, write their logs and their DLQ', () => {
      // Prepare
      const statements = policyStatements(template);
      // Assess
      expect(statements.flatMap(actionsOf).sort()).toEqual(
        [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'events:PutEvents',
          ...Array(3).fill(['logs:CreateLogStream', 'logs:PutLogEvents']).flat(),
          'sqs:SendMessage',
        ].sort(),
      );
      expect(statements.find((s) => actionsOf(s).includes('events:PutEvents'))?.Condition).toEqual({
        'ForAllValues:StringEquals': { 'events:source': ['murmur.alerting'] },
        Null: { 'events:source': 'false' },
      });
      expect(statements.some((s) => JSON.stringify(s.Resource).includes('"*"'))).toBe(false);
      for (const [, role] of resourceEntries(template, 'AWS::IAM::Role'))
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      template.hasResourceProperties('AWS::IAM::Role', {
        Tags: Match.arrayWith([{ Key: 'murmur-service', Value: 'alerting' }]),
      });
    });

    it('keep idempotency records in a DynamoDB table with a TTL', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });
  });

  describe('bad props', () => {
    it.each([
      [
        { sms: ['07700900123'] },
        'AlertingStack subscriptions.sms[0]: is not an E.164 phone number (e.g. +447700900123)',
      ],
      [
        { https: ['http://alerts.example.com/token123'] },
        'AlertingStack subscriptions.https[0]: is not an https:// URL',
      ],
      [
        { emails: ['ops@example.com', 'nobody'] },
        'AlertingStack subscriptions.emails[1]: is not an email address',
      ],
      [{ pager: ['x'] }, 'AlertingStack subscriptions: Unrecognized key: "pager"'],
    ])('refuses subscriptions %j, naming the field and never echoing the value', (subscriptions, message) => {
      const error = (() => {
        try {
          new AlertingStack(new App(), 'Bad', {
            env: ENV,
            code: CODE,
            subscriptions: subscriptions as never,
          });
        } catch (e) {
          return e as Error;
        }
        throw new Error('expected an error');
      })();
      expect(error.message).toBe(message);
      expect(error.message).not.toContain('token123');
    });

    it('refuses a bad alerting config, naming the field', () => {
      expect(
        () =>
          new AlertingStack(new App(), 'Bad', {
            env: ENV,
            code: CODE,
            alerting: { ...DEFAULT_ALERTING_CONFIG, keywords: ['a*'] },
          }),
      ).toThrow(
        'AlertingStack alerting: keywords.0: a keyword cannot hold *, \\, a comma or control characters',
      );
      // A comma would split the keyword in the variables the functions read.
      expect(
        () =>
          new AlertingStack(new App(), 'Bad', {
            env: ENV,
            code: CODE,
            alerting: { ...DEFAULT_ALERTING_CONFIG, keywords: ['late, again'] },
          }),
      ).toThrow('AlertingStack alerting: keywords.0: a keyword cannot hold');
    });
  });
});

describe('cdk-nag AwsSolutions over the alerting stack', () => {
  let stack: AlertingStack;
  let report: NagReport;

  beforeAll(() => {
    // As infra/test/nag.test.ts: synth throws on unacknowledged errors; the report holds warnings too.
    const app = new App();
    stack = new AlertingStack(app, 'AlertingNag', {
      env: ENV,
      code: CODE,
      alerting: TUNED,
      subscriptions: SUBSCRIBERS,
    });
    report = synthWithNag(app);
  });

  it('is clean', () => {
    expectNoFindings(report, stack);
  });

  it('acknowledges only the Node 22 runtime and the DLQs having no DLQ, each with a reason', () => {
    expect(acknowledgedIn(stack)).toEqual(['AwsSolutions-L1', 'AwsSolutions-SQS3']);
  });
});
