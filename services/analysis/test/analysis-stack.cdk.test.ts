import { beforeAll, describe, expect, it } from '@jest/globals';
import { declaredEventPatterns, MEDIA_BUCKET_PARAMETER, renderedEventPatterns } from '@murmur/cdk-constructs';
import {
  actionsOf,
  expectServiceRoles,
  logicalId,
  policyStatements,
  resource,
  resourcesOf,
  type Statement,
  statementsOf,
} from '@murmur/cdk-constructs/testing';
// The embedded runtime's reading of the same declaration, to prove both run one document.
import { LocalStateMachine, planServices, taskStates } from '@murmur/embedded-runtime';
import type { BlobPort, BusPort, Logger, StateMachineDeclaration } from '@murmur/ports';
import { App, type CfnResource, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ANALYSIS_DEFAULTS, AnalysisStack, MEDIA_KEY_PREFIX } from '../infra/analysis-stack.js';
import { placeholdersOf, workflowCalls } from '../infra/workflow-permissions.js';
import {
  ANALYSIS_STATE_MACHINE,
  ANALYSIS_SUBSTITUTIONS,
  ANALYSIS_TARGET_RETRY,
  analysisDefinition,
  analysisService,
  DEFAULT_MEDIA_TIMEOUT_MS,
  mediaBlobKey,
  parseCallPlan,
} from '../src/index.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const NO_MEDIA = () => {
  throw new Error('not read in these tests');
};

/** A template string: plain, or CDK's Fn::Join of plain strings (resolved here; anything else fails). */
function templateString(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`not a string: ${JSON.stringify(value).slice(0, 200)}`);
  return join[1].map(templateString).join(join[0]);
}

/** Comprehend and Rekognition actions of the document, read with the embedded runtime's walker. */
function documentSdkActions(): string[] {
  return [...taskStates(analysisDefinition()).values()]
    .map((state) => /^arn:aws:states:::aws-sdk:([a-z]+):(\w+)$/.exec(String(state.Resource)))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, service, action]) => `${service}:${action!.charAt(0).toUpperCase()}${action!.slice(1)}`)
    .sort();
}

/** Step Functions' log delivery: APIs without resource types, which CDK grants on `*` (AWS's documented policy). */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const XRAY_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
];

describe('AnalysisStack', () => {
  let stack: AnalysisStack;
  let template: Template;
  let custom: Template;
  let bundled: Template;

  beforeAll(() => {
    // Inline code keeps these tests fast; both stacks exist before the app synthesizes once.
    const app = new App();
    const code = lambda.Code.fromInline('export const handler = async () => ({});');
    stack = new AnalysisStack(app, 'Analysis', { env: ENV, code });
    const tuned = new AnalysisStack(app, 'AnalysisTuned', {
      env: ENV,
      code,
      calls: 'full',
      mediaRetention: Duration.days(7),
      logLevel: sfn.LogLevel.ALL,
      tracing: true,
    });
    template = Template.fromStack(stack);
    custom = Template.fromStack(tuned);
    // The real NodejsFunctions, with bundling skipped (infra/test/nag.test.ts and `pnpm synth` bundle them).
    const unbundled = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    bundled = Template.fromStack(new AnalysisStack(unbundled, 'AnalysisBundled', { env: ENV }));
  });

  describe('the media bucket', () => {
    it('is private, encrypted with S3-managed keys, owner-enforced and unversioned', () => {
      template.resourceCountIs('AWS::S3::Bucket', 1);
      const bucket = resource(template, 'AWS::S3::Bucket', 'MediaBucket');
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
      // Kept when the stack goes (a non-empty bucket would fail the deletion); it empties itself.
      expect(bucket.DeletionPolicy).toBe('Retain');
    });

    it('expires everything in the bucket (photos, annotated copies) after mediaRetention', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'expire-media',
              ExpirationInDays: ANALYSIS_DEFAULTS.mediaRetention.toDays(),
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            },
          ],
        },
      });
      custom.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ Id: 'expire-media', ExpirationInDays: 7 })],
        },
      });
      // The prefix the rule and the grants use is the one the download writes under.
      const key = mediaBlobKey(
        { createdAt: '2026-03-14T09:26:52Z', messageId: '1900000000000000123', index: 0, mediaKey: '3_1' },
        'jpg',
      );
      expect(key.startsWith(MEDIA_KEY_PREFIX)).toBe(true);
    });

    it('refuses requests without TLS 1.2', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            }),
          ]),
        },
      });
    });

    it('refuses a retention that is not whole days', () => {
      const app = new App();
      const code = lambda.Code.fromInline('export const handler = async () => ({});');
      expect(
        () => new AnalysisStack(app, 'Hours', { env: ENV, code, mediaRetention: Duration.hours(36) }),
      ).toThrow(/whole days/);
      expect(
        () => new AnalysisStack(app, 'Zero', { env: ENV, code, mediaRetention: Duration.days(0) }),
      ).toThrow(/at least 1/);
    });
  });

  describe('the task functions', () => {
    const fn = (t: Template, task: string) => resource(t, 'AWS::Lambda::Function', task).Properties;

    it('runs the three task functions on Node 22, arm64, with timeouts that fit their work', () => {
      template.resourceCountIs('AWS::Lambda::Function', 3);
      expect(fn(template, 'PrepareMessage')).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 10,
        MemorySize: 256,
        Environment: {
          Variables: {
            MURMUR_ANALYSIS_CALLS: 'entities,text,celebrities',
            POWERTOOLS_SERVICE_NAME: 'analysis',
          },
        },
      });
      expect(fn(template, 'AssembleAnalysis')).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 10,
        MemorySize: 256,
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'analysis' } },
      });
      const download = fn(template, 'DownloadMedia');
      expect(download).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 30,
        MemorySize: 512,
        Environment: {
          Variables: {
            MURMUR_MEDIA_BUCKET: { Ref: logicalId(template, 'AWS::S3::Bucket', 'MediaBucket') },
            POWERTOOLS_SERVICE_NAME: 'analysis',
          },
        },
      });
      // The download's own deadline, then the S3 put, must end before Lambda's.
      expect(download.Timeout as number).toBeGreaterThanOrEqual(DEFAULT_MEDIA_TIMEOUT_MS / 1000 + 15);
      // Only the function that stores media knows the bucket.
      for (const task of ['PrepareMessage', 'AssembleAnalysis']) {
        expect(fn(template, task).Environment).not.toHaveProperty('Variables.MURMUR_MEDIA_BUCKET');
      }
    });

    it('gives PrepareMessage the plan asked for, and refuses one it cannot read at synth', () => {
      expect(fn(custom, 'PrepareMessage')).toMatchObject({
        Environment: {
          Variables: {
            MURMUR_ANALYSIS_CALLS: 'entities,keyPhrases,toxicity,text,celebrities,faces,moderation',
          },
        },
      });
      const code = lambda.Code.fromInline('export const handler = async () => ({});');
      expect(() => new AnalysisStack(new App(), 'Bad', { env: ENV, code, calls: 'standard,ocr' })).toThrow(
        /unknown analysis call "ocr"/,
      );
    });

    it('deploys src/lambda/<task>.ts as NodejsFunctions with the same settings', () => {
      bundled.resourceCountIs('AWS::Lambda::Function', 3);
      for (const task of ['PrepareMessage', 'DownloadMedia', 'AssembleAnalysis']) {
        expect(fn(bundled, task)).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Code: { S3Key: expect.stringMatching(/\.zip$/) },
        });
      }
    });

    it('gives each its own role and log group: logs only, plus PutObject under media/ for DownloadMedia', () => {
      for (const task of ['PrepareMessage', 'DownloadMedia', 'AssembleAnalysis']) {
        const logs = { 'Fn::GetAtt': [logicalId(template, 'AWS::Logs::LogGroup', `${task}Logs`), 'Arn'] };
        const expected: Statement[] = [
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logs },
        ];
        if (task === 'DownloadMedia') {
          expected.push({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: {
              'Fn::Join': [
                '',
                [
                  { 'Fn::GetAtt': [logicalId(template, 'AWS::S3::Bucket', 'MediaBucket'), 'Arn'] },
                  '/media/*',
                ],
              ],
            },
          });
        }
        expect(statementsOf(template, `${task}Role`)).toEqual(expected);
        expect(fn(template, task).LoggingConfig).toEqual({
          LogGroup: { Ref: logicalId(template, 'AWS::Logs::LogGroup', `${task}Logs`) },
        });
      }
    });
  });

  describe('the state machine', () => {
    const machine = (t: Template) =>
      resource(t, 'AWS::StepFunctions::StateMachine', 'AnalyseMessage').Properties;

    it('is an Express workflow logging failures, without execution data, to its own vended log group', () => {
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      const logs = logicalId(template, 'AWS::Logs::LogGroup', 'StateMachineLogs');
      expect(machine(template)).toMatchObject({
        StateMachineType: 'EXPRESS',
        LoggingConfiguration: {
          Level: 'ERROR',
          IncludeExecutionData: false,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logs, 'Arn'] } } }],
        },
        TracingConfiguration: { Enabled: false },
        RoleArn: { 'Fn::GetAtt': [logicalId(template, 'AWS::IAM::Role', 'StateMachineRole'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/vendedlogs/states/Analysis-${ANALYSIS_STATE_MACHINE}`,
        RetentionInDays: 30,
      });
    });

    it('logs every transition and traces when asked, still without execution data', () => {
      expect(machine(custom)).toMatchObject({
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
        TracingConfiguration: { Enabled: true },
      });
    });

    it('runs the identical document the embedded runtime runs', () => {
      const props = machine(template);
      const deployed = templateString(props.DefinitionString);
      // Byte for byte the declaration's document...
      expect(deployed).toBe(JSON.stringify(analysisDefinition()));
      // ...with every placeholder substituted by CloudFormation, and nothing else.
      const substitutions = props.DefinitionSubstitutions as Record<string, unknown>;
      expect(Object.keys(substitutions).sort()).toEqual(Object.keys(ANALYSIS_SUBSTITUTIONS).sort());
      expect(placeholdersOf(JSON.parse(deployed))).toEqual(Object.keys(ANALYSIS_SUBSTITUTIONS).sort());

      // The embedded runtime: its plan for the service, and the machine it builds from it.
      const service = analysisService({ media: NO_MEDIA, calls: parseCallPlan('') });
      const planned = planServices([service]).functions.find((f) => f.kind === 'stateMachine');
      expect(planned?.kind).toBe('stateMachine');
      const declaration = (planned as { stateMachine: StateMachineDeclaration }).stateMachine;
      const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
      const bus: BusPort = { publish: async () => ({ eventIds: [] }) };
      const blobs: BlobPort = { bucket: 'media', put: async () => {}, get: async () => new Uint8Array() };
      const sdk: Record<string, Record<string, () => Promise<unknown>>> = {};
      for (const action of documentSdkActions()) {
        const [svc, name] = action.split(':') as [string, string];
        sdk[svc] ??= {};
        sdk[svc]![name.charAt(0).toLowerCase() + name.slice(1)] = async () => ({});
      }
      const local = new LocalStateMachine(declaration, { service, bus, blobs, log: silent, sdk });
      expect(local.declaration.definition).toEqual(JSON.parse(deployed));
      expect(local.declaration.substitutions).toEqual(ANALYSIS_SUBSTITUTIONS);
      // Locally every placeholder is filled in too.
      expect(JSON.stringify(local.definition)).not.toContain('${');
    });

    it('substitutes the function ARNs and the bus name', () => {
      expect(machine(template).DefinitionSubstitutions).toEqual({
        PrepareMessageFunctionArn: {
          'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', 'PrepareMessage'), 'Arn'],
        },
        DownloadMediaFunctionArn: {
          'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', 'DownloadMedia'), 'Arn'],
        },
        AssembleAnalysisFunctionArn: {
          'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', 'AssembleAnalysis'), 'Arn'],
        },
        EventBusName: { Ref: expect.stringMatching(/^SsmParameterValuemurmurbusname/) },
      });
    });
  });

  describe('IAM of the state machine', () => {
    const statements = (t = template) => statementsOf(t, 'StateMachineRole');
    const withAction = (t: Template, prefix: string) =>
      statements(t).filter((s) => actionsOf(s).some((a) => a.startsWith(prefix)));

    it('trusts Step Functions of this account only', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: Match.stringLikeRegexp('^Murmur analysis state machine'),
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'states.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': ENV.account },
                ArnLike: { 'aws:SourceArn': Match.anyValue() },
              },
            }),
          ],
        },
      });
    });

    it('invokes exactly the three task functions, unqualified', () => {
      const invokes = withAction(template, 'lambda:');
      expect(invokes).toEqual([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: ['AssembleAnalysis', 'DownloadMedia', 'PrepareMessage'].map((task) => ({
            'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', task), 'Arn'],
          })),
        },
      ]);
    });

    it('may call exactly the Comprehend and Rekognition actions the document uses', () => {
      const granted = (t: Template) =>
        [...withAction(t, 'comprehend:'), ...withAction(t, 'rekognition:')].flatMap(actionsOf).sort();
      // With the full plan, everything the document names; with the default, none of the calls it leaves out.
      expect(granted(custom)).toEqual(documentSdkActions());
      const off = [
        'comprehend:DetectKeyPhrases',
        'comprehend:DetectToxicContent',
        'rekognition:DetectFaces',
        'rekognition:DetectModerationLabels',
      ];
      expect(granted(template)).toEqual(documentSdkActions().filter((a) => !off.includes(a)));
      expect(documentSdkActions()).toEqual(
        expect.arrayContaining([
          'comprehend:DetectSentiment',
          'rekognition:DetectLabels',
          'comprehend:DetectToxicContent',
        ]),
      );
      for (const s of [...withAction(template, 'comprehend:'), ...withAction(template, 'rekognition:')]) {
        expect(s).toMatchObject({ Effect: 'Allow', Resource: '*' });
        expect(s.Condition).toBeUndefined();
      }
    });

    it('may read photos under media/ (Rekognition reads S3 with the caller’s permissions), not write them', () => {
      expect(withAction(template, 's3:')).toEqual([
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: {
            'Fn::Join': [
              '',
              [{ 'Fn::GetAtt': [logicalId(template, 'AWS::S3::Bucket', 'MediaBucket'), 'Arn'] }, '/media/*'],
            ],
          },
        },
      ]);
    });

    it('publishes only as murmur.analysis, on the Murmur bus', () => {
      const puts = policyStatements(template).filter((s) => actionsOf(s).includes('events:PutEvents'));
      expect(puts).toHaveLength(1);
      expect(withAction(template, 'events:')).toEqual(puts);
      expect(puts[0]).toMatchObject({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': ['murmur.analysis'] },
          Null: { 'events:source': 'false' },
        },
        Resource: {
          'Fn::Join': [
            '',
            expect.arrayContaining([{ Ref: expect.stringMatching(/^SsmParameterValuemurmurbusname/) }]),
          ],
        },
      });
    });

    it('has no wildcard actions, and `*` resources only where the APIs take no resource', () => {
      const resourceless = [...documentSdkActions(), ...LOG_DELIVERY_ACTIONS, ...XRAY_ACTIONS];
      for (const t of [template, custom]) {
        for (const s of policyStatements(t)) {
          for (const action of actionsOf(s)) expect(action).not.toContain('*');
          if (resourcesOf(s).includes('*')) {
            for (const action of actionsOf(s)) expect(resourceless).toContain(action);
          }
        }
      }
      // The log delivery statement is exactly what Step Functions documents; X-Ray only with tracing.
      expect(withAction(template, 'logs:')).toEqual([
        { Effect: 'Allow', Action: LOG_DELIVERY_ACTIONS, Resource: '*' },
      ]);
      expect(withAction(template, 'xray:')).toEqual([]);
      expect(withAction(custom, 'xray:')).toEqual([{ Effect: 'Allow', Action: XRAY_ACTIONS, Resource: '*' }]);
    });

    it('uses no managed or inline role policies, and tags every role murmur-service=analysis', () => {
      for (const t of [template, custom]) {
        // Three functions, the state machine, EventBridge's role to start it.
        expect(expectServiceRoles(t, 'analysis')).toHaveLength(5);
      }
    });
  });

  describe('the rule', () => {
    it('holds the declaration’s pattern, the same one the embedded runtime installs', () => {
      const service = analysisService({ media: NO_MEDIA, calls: parseCallPlan('') });
      const local = planServices([service]).rules.map((r) => ({
        kind: 'rule' as const,
        name: r.name,
        eventPattern: r.eventPattern,
      }));
      const onAws = renderedEventPatterns(template.toJSON());
      expect(onAws).toEqual(local);
      expect(onAws).toEqual(declaredEventPatterns([service]));
      expect(onAws).toEqual([
        {
          kind: 'rule',
          name: 'analysis-message-received',
          eventPattern: { source: ['murmur.ingress'], 'detail-type': ['MESSAGE_RECEIVED'] },
        },
      ]);
    });

    it('starts the state machine on the Murmur bus, with the declared retries and a dead-letter queue', () => {
      const rule = resource(template, 'AWS::Events::Rule', 'Subscriptions').Properties;
      expect(rule).toMatchObject({
        Name: 'analysis-message-received',
        EventBusName: { Ref: expect.stringMatching(/^SsmParameterValuemurmurbusname/) },
        Targets: [
          {
            Arn: { Ref: logicalId(template, 'AWS::StepFunctions::StateMachine', 'AnalyseMessage') },
            RetryPolicy: {
              MaximumRetryAttempts: ANALYSIS_TARGET_RETRY.maximumRetryAttempts,
              MaximumEventAgeInSeconds: ANALYSIS_TARGET_RETRY.maximumEventAgeInSeconds,
            },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'Subscriptions'), 'Arn'] },
            },
            RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
          },
        ],
      });
      // The whole event is the execution's input, as PrepareMessage expects.
      expect((rule.Targets as Record<string, unknown>[])[0]).not.toHaveProperty('InputTransformer');
      // EventBridge's role may start this state machine and do nothing else.
      const eventsRole = (rule.Targets as { RoleArn: { 'Fn::GetAtt': [string] } }[])[0]!.RoleArn[
        'Fn::GetAtt'
      ][0];
      expect(statementsOf(template, eventsRole)).toEqual([
        {
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: { Ref: logicalId(template, 'AWS::StepFunctions::StateMachine', 'AnalyseMessage') },
        },
      ]);
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      // The stack hands out the rendered rule and queue.
      expect(stack.resolve((stack.rule.node.defaultChild as CfnResource).logicalId)).toBe(
        logicalId(template, 'AWS::Events::Rule', 'Subscriptions'),
      );
      expect(stack.resolve((stack.deadLetterQueue.node.defaultChild as CfnResource).logicalId)).toBe(
        logicalId(template, 'AWS::SQS::Queue', 'Subscriptions'),
      );
    });

    it('finds the bus by its SSM parameter, with no cross-stack import', () => {
      const parameters = template.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
      expect(Object.values(parameters)).toContainEqual({
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: '/murmur/bus/name',
      });
      expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    });

    it('publishes the media bucket name where responding and egress look it up', () => {
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: MEDIA_BUCKET_PARAMETER,
        Type: 'String',
        Value: { Ref: logicalId(template, 'AWS::S3::Bucket', 'MediaBucket') },
      });
    });
  });
});

describe('workflowCalls', () => {
  it('reads the Task states of every branch and Map processor', () => {
    const calls = workflowCalls(analysisDefinition());
    expect(calls.functionPlaceholders).toEqual([
      'AssembleAnalysisFunctionArn',
      'DownloadMediaFunctionArn',
      'PrepareMessageFunctionArn',
    ]);
    expect(calls.putsEvents).toBe(true);
    expect([...calls.sdkActions.comprehend!, ...calls.sdkActions.rekognition!].sort()).toEqual(
      documentSdkActions(),
    );
  });

  it('refuses a Task it would not know how to grant', () => {
    const doc = (resource: string) => ({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, End: true } } }],
        },
      },
    });
    expect(() => workflowCalls(doc('arn:aws:states:::lambda:invoke'))).toThrow(/state T.*lambda:invoke/);
    expect(() => workflowCalls(doc('arn:aws:states:::aws-sdk:s3:getObject'))).toThrow(/s3:getObject/);
    expect(workflowCalls(doc('arn:aws:states:::aws-sdk:rekognition:detectText')).sdkActions).toEqual({
      rekognition: ['rekognition:DetectText'],
    });
  });
});
