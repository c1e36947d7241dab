import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  declaredEventPatterns,
  EVENT_METRICS_NAMESPACE,
  renderedEventPatterns,
} from '@murmur/cdk-constructs';
// The local runtime's reading of the same declaration (relative: plumbing does not depend on it).
import { planServices } from '@murmur/embedded-runtime';
import { catalog, envelopeJsonSchemaFor } from '@murmur/events';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PlumbingStack, SCHEMA_REGISTRY_NAME } from '../infra/plumbing-stack.js';
import {
  ALL_MURMUR_EVENTS,
  LIVE_MURMUR_EVENTS,
  PLUMBING_DEFAULTS,
  plumbingService,
} from '../src/declaration.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };
// Built from the name (a GetAtt on the bus inside its own policy would be circular).
const BUS_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/murmur']],
};

describe('PlumbingStack', () => {
  let template: Template;
  let custom: Template;

  beforeAll(() => {
    // Both stacks exist before the app synthesizes once.
    const app = new App();
    const defaults = new PlumbingStack(app, 'Plumbing', { env: ENV });
    const tuned = new PlumbingStack(app, 'PlumbingCustom', {
      env: ENV,
      archiveRetentionDays: 90,
      eventLogRetentionDays: 30,
    });
    template = Template.fromStack(defaults);
    custom = Template.fromStack(tuned);
  });

  it('creates the custom bus under its fixed name', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: PLUMBING_DEFAULTS.busName });
  });

  it('publishes the bus name and ARN as SSM parameters, not as stack exports', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/murmur/bus/name',
      Type: 'String',
      Value: { Ref: Match.stringLikeRegexp('^Bus') },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/murmur/bus/arn',
      Type: 'String',
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] },
    });
    expect(template.toJSON().Outputs ?? {}).toEqual({});
  });

  it('archives every Murmur event with the declared pattern and retention', () => {
    template.resourceCountIs('AWS::Events::Archive', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: PLUMBING_DEFAULTS.archiveName,
      // EventBridge's managed archive rule adds the replay exclusion itself.
      EventPattern: Match.exact(ALL_MURMUR_EVENTS),
      RetentionDays: PLUMBING_DEFAULTS.archiveRetentionDays,
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] },
    });
    custom.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
  });

  it("routes live events to the log with the declaration's pattern, exactly", () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: PLUMBING_DEFAULTS.catchAllRuleName,
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: Match.exact(plumbingService().subscriptions[0]!.eventPattern),
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::Join': [
              '',
              Match.arrayWith([
                Match.stringLikeRegexp(':logs:eu-west-1:111122223333:log-group:$'),
                { Ref: Match.stringLikeRegexp('LogGroup') },
              ]),
            ],
          },
        }),
      ],
    });
    expect(plumbingService().subscriptions[0]!.eventPattern).toEqual(LIVE_MURMUR_EVENTS);
  });

  it('keeps the event log for the configured retention', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/events/${PLUMBING_DEFAULTS.eventLogName}`,
      RetentionInDays: PLUMBING_DEFAULTS.eventLogRetentionDays,
    });
    custom.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    // EventBridge may write there; the rule waits for that grant.
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    template.hasResource('AWS::Events::Rule', { DependsOn: [Match.stringLikeRegexp('DeliveryPolicy')] });
  });

  it('counts every catalog detail-type with a metric filter', () => {
    const detailTypes = [...new Set(catalog.map((e) => e.detailType))];
    template.resourceCountIs('AWS::Logs::MetricFilter', detailTypes.length);
    for (const detailType of detailTypes) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: Match.stringLikeRegexp('LogGroup') },
        FilterPattern: `{ $.detail-type = "${detailType}" }`,
        MetricTransformations: [
          { MetricNamespace: EVENT_METRICS_NAMESPACE, MetricName: detailType, MetricValue: '1' },
        ],
      });
    }
  });

  it('registers the JSON Schema of every catalog entry', () => {
    template.resourceCountIs('AWS::EventSchemas::Registry', 1);
    template.hasResourceProperties('AWS::EventSchemas::Registry', { RegistryName: SCHEMA_REGISTRY_NAME });
    template.resourceCountIs('AWS::EventSchemas::Schema', catalog.length);
    for (const entry of catalog) {
      template.hasResourceProperties('AWS::EventSchemas::Schema', {
        RegistryName: { 'Fn::GetAtt': [Match.stringLikeRegexp('Registry'), 'RegistryName'] },
        SchemaName: `${entry.source}@${entry.detailType}`,
        Type: 'JSONSchemaDraft4',
        Content: JSON.stringify(envelopeJsonSchemaFor(entry)),
      });
    }
  });

  describe('bus policy', () => {
    const statements = () =>
      template.findResources('AWS::Events::EventBus')[
        Object.keys(template.findResources('AWS::Events::EventBus'))[0]!
      ]!.Properties.Policy.Statement as Record<string, unknown>[];

    it('is deny-only, for PutEvents by principals of this account, on this bus', () => {
      expect(statements().length).toBeGreaterThan(1);
      for (const s of statements()) {
        expect(s).toMatchObject({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'events:PutEvents',
          Resource: BUS_ARN,
          Condition: { StringEquals: { 'aws:PrincipalAccount': ENV.account } },
        });
      }
    });

    it('denies publishers without a known murmur-service tag', () => {
      expect(statements()).toContainEqual(
        expect.objectContaining({
          Sid: 'DenyPublishWithoutMurmurServiceTag',
          Condition: {
            StringEquals: { 'aws:PrincipalAccount': ENV.account },
            StringNotEquals: {
              'aws:PrincipalTag/murmur-service': [
                'ingress',
                'plumbing',
                'analysis',
                'alerting',
                'responding',
                'egress',
                'analytics',
              ],
            },
          },
        }),
      );
    });

    it.each(['ingress', 'plumbing', 'analysis', 'alerting', 'responding', 'egress', 'analytics'])(
      'lets %s publish only its own source',
      (service) => {
        expect(statements()).toContainEqual(
          expect.objectContaining({
            Condition: {
              StringEquals: {
                'aws:PrincipalAccount': ENV.account,
                'aws:PrincipalTag/murmur-service': service,
              },
              'ForAnyValue:StringNotEquals': { 'events:source': `murmur.${service}` },
            },
          }),
        );
      },
    );

    it('covers every source the catalog publishes under', () => {
      const denied = new Set(
        statements().flatMap((s) => {
          const c = s.Condition as Record<string, Record<string, string>>;
          return c['ForAnyValue:StringNotEquals'] ? [c['ForAnyValue:StringNotEquals']['events:source']] : [];
        }),
      );
      for (const entry of catalog) expect(denied).toContain(entry.source);
    });
  });

  it('holds the same patterns as the embedded runtime, from the one declaration', () => {
    const plan = planServices([plumbingService()]);
    const local = [
      ...plan.archives.map((a) => ({ kind: 'archive' as const, name: a.name, eventPattern: a.eventPattern })),
      ...plan.rules.map((r) => ({ kind: 'rule' as const, name: r.name, eventPattern: r.eventPattern })),
    ].sort((a, b) => `${a.kind}:${a.name}`.localeCompare(`${b.kind}:${b.name}`));
    const onAws = renderedEventPatterns(template.toJSON());
    expect(onAws).toEqual(local);
    expect(onAws).toEqual(declaredEventPatterns([plumbingService()]));
  });
});
