import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
// Relative: infra reaches the constructs through the service stacks, not as a dependency.
import { renderService } from '@murmur/cdk-constructs';
import {
  acknowledgedIn,
  expectNoFindings,
  type NagReport,
  synthWithNag,
} from '@murmur/cdk-constructs/testing';
import type { ServiceDeclaration } from '@murmur/ports';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AnalysisStack } from '../../services/analysis/infra/analysis-stack.js';
import { IngressStack } from '../../services/ingress/infra/ingress-stack.js';
import {
  ALERTING_STACK_NAME,
  ANALYSIS_STACK_NAME,
  ANALYTICS_STACK_NAME,
  createMurmurApp,
  EGRESS_STACK_NAME,
  INGRESS_STACK_NAME,
  type MurmurApp,
  PLUMBING_STACK_NAME,
  RESPONDING_STACK_NAME,
} from '../src/index.js';

describe('cdk-nag AwsSolutions over the Murmur app', () => {
  let app: App;
  let stacks: Stack[];
  let murmur: MurmurApp;
  let report: NagReport;

  beforeAll(() => {
    // NodejsFunction runs `pnpm exec esbuild`; put infra's esbuild on PATH as `pnpm run synth` does,
    // so the ingress and analysis Lambdas are really bundled here.
    const bin = fileURLToPath(new URL('../node_modules/.bin', import.meta.url));
    process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
    murmur = createMurmurApp(new App(), undefined);
    ({ app, stacks } = murmur);
    report = synthWithNag(app);
  });

  it('synthesizes one stack per service', () => {
    expect(stacks.map((s) => s.stackName)).toEqual([
      PLUMBING_STACK_NAME,
      INGRESS_STACK_NAME,
      ANALYSIS_STACK_NAME,
      ALERTING_STACK_NAME,
      RESPONDING_STACK_NAME,
      EGRESS_STACK_NAME,
      ANALYTICS_STACK_NAME,
    ]);
  });

  it('acknowledges the ingress findings only with a reason', () => {
    const acknowledged = stacks[1]!.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .map((m) => JSON.stringify(m.data));
    const text = acknowledged.join('\n');
    for (const id of ['APIG3', 'APIG4', 'APIG6', 'COG4', 'L1', 'SMG4'])
      expect(text).toContain(`AwsSolutions-${id}`);
    expect(text).not.toMatch(/"reason":""/);
  });

  it('acknowledges the analysis findings only with a reason', () => {
    expect(acknowledgedIn(murmur.analysis)).toEqual(ANALYSIS_ACKNOWLEDGED);
  });

  it('acknowledges the alerting, responding, egress and analytics findings only with a reason', () => {
    expect(acknowledgedIn(murmur.alerting)).toEqual(['AwsSolutions-L1', 'AwsSolutions-SQS3']);
    const mediaBucket = (stack: Stack) =>
      acknowledgedIn(stack)
        .filter((id) => id.startsWith('AwsSolutions-IAM5'))
        .map((id) => id.replace(/<SsmParameterValue[^>]+>/, '<media bucket>'));
    expect(acknowledgedIn(murmur.responding).filter((id) => !id.startsWith('AwsSolutions-IAM5'))).toEqual([
      'AwsSolutions-L1',
      'AwsSolutions-SQS3',
    ]);
    expect(mediaBucket(murmur.responding)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<media bucket>/annotated/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<media bucket>/media/*]',
    ]);
    expect(acknowledgedIn(murmur.egress).filter((id) => !id.startsWith('AwsSolutions-IAM5'))).toEqual([
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
    expect(acknowledgedIn(murmur.analytics)).toEqual([
      'AwsSolutions-IAM5[Resource::<LakeBucket9CD7BBD2.Arn>/errors/*]',
      'AwsSolutions-IAM5[Resource::<LakeBucket9CD7BBD2.Arn>/events/*]',
      'AwsSolutions-IAM5[Resource::<ResultsBucketA95A2103.Arn>/results/*]',
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
    ]);
    expect(mediaBucket(murmur.egress)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<media bucket>/annotated/*]',
    ]);
  });

  it('leaves no unacknowledged AwsSolutions error or warning', () => {
    expectNoFindings(report);
  });

  it('leaves no error annotations on any stack', () => {
    for (const stack of stacks) {
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
        [],
      );
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    }
  });
});

describe('cdk-nag AwsSolutions over the ingress stack with mention polling (pollEvery)', () => {
  let stack: IngressStack;
  let report: NagReport;

  beforeAll(() => {
    // Bundled for real (PATH as above): the poll entry must bundle too.
    const bin = fileURLToPath(new URL('../node_modules/.bin', import.meta.url));
    process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
    const app = new App();
    stack = new IngressStack(app, 'IngressPolling', { pollEvery: Duration.minutes(5) });
    report = synthWithNag(app);
  });

  it('is clean', () => {
    expectNoFindings(report, stack);
  });

  it('acknowledges the polling findings only with a reason', () => {
    const polling = stack.polling!;
    const acknowledged = [polling.function, polling.deadLetterQueue].flatMap((c) =>
      c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
    );
    const text = JSON.stringify(acknowledged);
    expect(text).toContain('AwsSolutions-L1');
    expect(text).toContain('AwsSolutions-SQS3');
    expect(text).not.toMatch(/"reason":""/);
  });
});

/** The analysis stack's acknowledgements at its defaults (the bucket's logical id is stable). */
const ANALYSIS_ACKNOWLEDGED = [
  'AwsSolutions-IAM5[Resource::*]',
  'AwsSolutions-IAM5[Resource::<MediaBucketBCBB02BA.Arn>/media/*]',
  'AwsSolutions-L1',
  'AwsSolutions-S1',
  'AwsSolutions-SF1',
  'AwsSolutions-SF2',
  'AwsSolutions-SQS3',
];

describe('cdk-nag AwsSolutions over the analysis stack with every call, ALL logging and tracing', () => {
  let stack: AnalysisStack;
  let report: NagReport;

  beforeAll(() => {
    // Inline code: the app test above bundles the real entries.
    const app = new App();
    stack = new AnalysisStack(app, 'AnalysisTuned', {
      code: lambda.Code.fromInline('export const handler = async () => ({});'),
      calls: 'full',
      logLevel: sfn.LogLevel.ALL,
      tracing: true,
    });
    report = synthWithNag(app);
  });

  it('is clean, and needs no SF1/SF2 acknowledgement once logging is ALL and tracing is on', () => {
    expectNoFindings(report, stack);
    expect(acknowledgedIn(stack)).toEqual(ANALYSIS_ACKNOWLEDGED.filter((id) => !/SF[12]$/.test(id)));
  });
});

describe('cdk-nag AwsSolutions over a rendered handler subscription', () => {
  const noop = async () => {};
  const declaration: ServiceDeclaration = {
    name: 'alerting',
    source: 'murmur.alerting',
    description: 'nag fixture',
    publishes: [],
    archives: [],
    subscriptions: [
      {
        ruleName: 'alerting-on-analysed',
        description: 'fixture',
        eventPattern: { source: ['murmur.analysis'], 'detail-type': ['MESSAGE_ANALYSED'] },
        targets: [
          {
            kind: 'handler',
            handler: 'raise',
            retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 },
            inputTransformer: { inputPathsMap: { d: '$.detail' }, inputTemplate: '<d>' },
          },
        ],
      },
    ],
    handlers: { raise: noop },
  };

  it('is clean: the DLQ is encrypted and TLS-only, and its SQS3 finding is acknowledged with a reason', () => {
    const app = new App();
    const stack = new Stack(app, 'Handlers', { env: { account: '111122223333', region: 'eu-west-1' } });
    const fn = lambda.Function.fromFunctionArn(
      stack,
      'Raise',
      'arn:aws:lambda:eu-west-1:111122223333:function:raise',
    );
    const rendered = renderService(
      stack,
      events.EventBus.fromEventBusName(stack, 'Bus', 'murmur'),
      declaration,
      {
        handlerFunctions: { raise: fn },
      },
    );
    const report = synthWithNag(app);
    expect(report.violations).toEqual([]);
    const dlq = rendered.deadLetterQueues.get('alerting-on-analysed/raise')!;
    const acknowledged = dlq.node.metadata.filter(
      (m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
    );
    expect(JSON.stringify(acknowledged)).toContain('AwsSolutions-SQS3');
  });
});
