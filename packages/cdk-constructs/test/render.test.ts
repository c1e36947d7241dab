import { beforeAll, describe, expect, it } from '@jest/globals';
import type { ServiceDeclaration } from '@murmur/ports';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  BUS_NAME_PARAMETER,
  busPublishPolicyStatements,
  declaredEventPatterns,
  EVENT_METRICS_NAMESPACE,
  grantPublish,
  lookupMurmurBus,
  renderedEventPatterns,
  renderService,
  retentionFor,
} from '../src/index.js';

// Operators the L2 EventPattern type does not model; they must reach the template untouched.
const ANALYSED_PATTERN = {
  source: [{ prefix: 'murmur.' }],
  'detail-type': ['MESSAGE_ANALYSED'],
  'replay-name': [{ exists: false }],
  detail: {
    analysis: { textSentiment: { sentiment: [{ 'anything-but': ['POSITIVE', 'NEUTRAL'] }] } },
    score: [{ numeric: ['>=', 0.5] }],
  },
};

const noop = async () => {};

function declaration(): ServiceDeclaration {
  return {
    name: 'alerting',
    source: 'murmur.alerting',
    description: 'test service',
    publishes: [],
    archives: [
      {
        archiveName: 'alerting-forever',
        description: 'kept forever',
        eventPattern: { source: ['murmur.analysis'] },
        retentionDays: 0,
      },
    ],
    subscriptions: [
      {
        ruleName: 'alerting-on-negative',
        description: 'negative messages raise alerts',
        eventPattern: ANALYSED_PATTERN,
        targets: [
          {
            kind: 'handler',
            handler: 'raiseAlert',
            retryPolicy: { maximumRetryAttempts: 4, maximumEventAgeInSeconds: 3600 },
            inputTransformer: {
              inputPathsMap: { id: '$.id', text: '$.detail.text' },
              inputTemplate: '{"eventId": <id>, "text": <text>}',
            },
          },
          { kind: 'handler', handler: 'audit' },
          { kind: 'log', logName: 'alerting-audit', retentionDays: 7, countByDetailType: true },
        ],
      },
    ],
    handlers: { raiseAlert: noop, audit: noop },
  };
}

describe('renderService', () => {
  let template: Template;
  let stack: Stack;

  beforeAll(() => {
    const app = new App();
    stack = new Stack(app, 'Render', { env: { account: '111122223333', region: 'eu-west-1' } });
    const bus = events.EventBus.fromEventBusName(stack, 'Bus', 'murmur');
    const fn = (name: string) =>
      lambda.Function.fromFunctionArn(stack, name, `arn:aws:lambda:eu-west-1:111122223333:function:${name}`);
    renderService(stack, bus, declaration(), {
      handlerFunctions: { raiseAlert: fn('raiseAlert'), audit: fn('audit') },
      detailTypes: ['MESSAGE_ANALYSED', 'ALERT_RAISED'],
    });
    template = Template.fromStack(stack);
  });

  it('renders the event pattern exactly as declared, operators included', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'alerting-on-negative',
      EventPattern: Match.exact(ANALYSED_PATTERN),
    });
  });

  it('renders a handler target with the declared retry policy, a DLQ and the raw input transformer', () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0]!;
    const targets = rule.Properties.Targets as Record<string, unknown>[];
    expect(targets).toHaveLength(3);
    expect(targets[0]).toMatchObject({
      Arn: 'arn:aws:lambda:eu-west-1:111122223333:function:raiseAlert',
      RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/raiseAlertdlq/), 'Arn'] } },
      InputTransformer: {
        InputPathsMap: { id: '$.id', text: '$.detail.text' },
        InputTemplate: '{"eventId": <id>, "text": <text>}',
      },
    });
    expect(targets[0]).not.toHaveProperty('Input');
  });

  it("uses EventBridge's default retry policy when none is declared", () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0]!;
    const audit = (rule.Properties.Targets as Record<string, unknown>[])[1]!;
    expect(audit).toMatchObject({
      Arn: 'arn:aws:lambda:eu-west-1:111122223333:function:audit',
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
    });
    expect(audit).not.toHaveProperty('InputTransformer');
  });

  it('gives each handler target its own encrypted, TLS-only DLQ that EventBridge may write to', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('lets EventBridge invoke each function, only from this rule', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 2);
    template.allResourcesProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('alertingonnegative'), 'Arn'] },
    });
  });

  it('renders a log target as a log group with retention, a delivery policy and a metric per detail-type', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/events/alerting-audit',
      RetentionInDays: 7,
    });
    // The document is an Fn::Join around the log group ARN; read its literal text.
    const policy = Object.values(template.findResources('AWS::Logs::ResourcePolicy'))[0]!;
    const text = JSON.stringify(policy.Properties.PolicyDocument);
    expect(text).toContain('events.amazonaws.com');
    expect(text).toContain('logs:PutLogEvents');
    expect(text).toContain('"Effect\\":\\"Allow');
    template.resourceCountIs('AWS::Logs::MetricFilter', 2);
    for (const detailType of ['MESSAGE_ANALYSED', 'ALERT_RAISED']) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: `{ $.detail-type = "${detailType}" }`,
        MetricTransformations: [
          { MetricNamespace: EVENT_METRICS_NAMESPACE, MetricName: detailType, MetricValue: '1' },
        ],
      });
    }
  });

  it('renders an archive with the declared pattern; retention 0 keeps events forever', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'alerting-forever',
      EventPattern: Match.exact({ source: ['murmur.analysis'] }),
      RetentionDays: 0,
    });
  });

  it('holds exactly the patterns the declaration declares', () => {
    expect(renderedEventPatterns(template.toJSON())).toEqual(declaredEventPatterns([declaration()]));
  });
});

describe('renderService refuses what AWS would refuse', () => {
  const render = (mutate: (d: ServiceDeclaration) => void, handlers = true) => {
    const stack = new Stack(new App(), 'Bad');
    const bus = events.EventBus.fromEventBusName(stack, 'Bus', 'murmur');
    const d = declaration();
    mutate(d);
    const fn = lambda.Function.fromFunctionArn(
      stack,
      'Fn',
      'arn:aws:lambda:eu-west-1:111122223333:function:x',
    );
    renderService(stack, bus, d, handlers ? { handlerFunctions: { raiseAlert: fn, audit: fn } } : {});
  };

  it('a handler without a Lambda', () => {
    expect(() => render(() => {}, false)).toThrow(/no Lambda was given/);
  });

  it('a retry policy outside EventBridge limits', () => {
    expect(() =>
      render((d) => {
        const target = d.subscriptions[0]!.targets[0]!;
        if (target.kind === 'handler')
          target.retryPolicy = { maximumRetryAttempts: 186, maximumEventAgeInSeconds: 60 };
      }),
    ).toThrow(/0\.\.185/);
  });

  it('a log retention CloudWatch does not offer', () => {
    expect(() => retentionFor(10)).toThrow(/not one CloudWatch Logs accepts/);
    expect(retentionFor(0)).toBe(9999);
    expect(retentionFor(14)).toBe(14);
  });
});

describe('bus publish policy', () => {
  const statements = busPublishPolicyStatements({
    busArn: 'arn:aws:events:eu-west-1:111122223333:event-bus/murmur',
    account: '111122223333',
    services: ['ingress', 'analysis'],
  }).map((s) => s.toStatementJson());

  it('only denies, and only same-account principals', () => {
    expect(statements).toHaveLength(3);
    for (const s of statements) {
      expect(s).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: 'arn:aws:events:eu-west-1:111122223333:event-bus/murmur',
        Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
      });
    }
  });

  it('denies callers without a known murmur-service tag', () => {
    expect(statements[0]!.Condition).toEqual({
      StringEquals: { 'aws:PrincipalAccount': '111122223333' },
      StringNotEquals: { 'aws:PrincipalTag/murmur-service': ['ingress', 'analysis'] },
    });
  });

  it('denies a tagged service any entry whose source is not its own', () => {
    expect(statements[1]!.Condition).toEqual({
      StringEquals: { 'aws:PrincipalAccount': '111122223333', 'aws:PrincipalTag/murmur-service': 'ingress' },
      'ForAnyValue:StringNotEquals': { 'events:source': 'murmur.ingress' },
    });
    expect(statements[2]!.Condition).toMatchObject({
      'ForAnyValue:StringNotEquals': { 'events:source': 'murmur.analysis' },
    });
  });
});

describe('lookupMurmurBus', () => {
  it('reads the bus from an SSM parameter resolved at deploy time, not from exports', () => {
    const stack = new Stack(new App(), 'Consumer');
    const bus = lookupMurmurBus(stack);
    new events.Rule(stack, 'Rule', { eventBus: bus, eventPattern: { source: ['murmur.ingress'] } });
    const template = Template.fromStack(stack);
    const parameters = template.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const ssm = Object.values(parameters).filter(
      (p) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default.startsWith('/murmur/'),
    );
    expect(ssm.map((p) => p.Default)).toEqual([BUS_NAME_PARAMETER]);
    const [parameterId] = Object.entries(parameters).find(([, p]) => p.Default === BUS_NAME_PARAMETER)!;
    template.hasResourceProperties('AWS::Events::Rule', { EventBusName: { Ref: parameterId } });
    // Bus-scoped grants still get a full ARN, built from the name in this account and region.
    expect(bus.eventBusArn).toContain('event-bus/');
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
  });
});

describe('grantPublish', () => {
  it('tags the role for the bus policy and allows PutEvents only for its own source', () => {
    const stack = new Stack(new App(), 'Publisher');
    const bus = events.EventBus.fromEventBusArn(
      stack,
      'Bus',
      'arn:aws:events:eu-west-1:111122223333:event-bus/murmur',
    );
    const role = new iam.Role(stack, 'IngressRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    grantPublish(bus, role, 'ingress');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      Tags: [{ Key: 'murmur-service', Value: 'ingress' }],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Resource: 'arn:aws:events:eu-west-1:111122223333:event-bus/murmur',
            Condition: {
              'ForAllValues:StringEquals': { 'events:source': ['murmur.ingress'] },
              Null: { 'events:source': 'false' },
            },
          },
        ],
      },
    });
  });

  it('refuses a principal it cannot tag', () => {
    const stack = new Stack(new App(), 'Imported');
    const bus = events.EventBus.fromEventBusName(stack, 'Bus', 'murmur');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111122223333:role/someone');
    expect(() => grantPublish(bus, role, 'egress')).toThrow(/must be an iam.Role/);
  });
});
