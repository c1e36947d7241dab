// The analysis stack: MESSAGE_RECEIVED on the Murmur bus starts an Express state machine running
// the very ASL document the embedded runtime runs in-process. Comprehend and Rekognition are
// called straight from the workflow; three small Lambdas do what needs code (check the message,
// download a photo into the media bucket, assemble MESSAGE_ANALYSED); the workflow publishes.
import { fileURLToPath } from 'node:url';
import {
  grantPublish,
  lookupMurmurBus,
  PRIVATE_BUCKET_PROPS,
  publishMediaBucketParameter,
  renderService,
  serviceFunction,
  tagAsMurmurService,
} from '@murmur/cdk-constructs';
import type { StateMachineDeclaration } from '@murmur/ports';
import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ANALYSIS_RULE_NAME, analysisService } from '../src/declaration.js';
import { ANALYSIS_ENV, ANALYSIS_TASKS, type AnalysisTaskName } from '../src/lambda/env.js';
import { DEFAULT_MEDIA_TIMEOUT_MS } from '../src/media/index.js';
import {
  type AnalysisCalls,
  DEFAULT_CALL_PLAN,
  formatCallPlan,
  OPTIONAL_CALL_ACTIONS,
  OPTIONAL_CALLS,
  parseCallPlan,
} from '../src/state-machine/call-plan.js';
import { ANALYSIS_STATE_MACHINE } from '../src/state-machine/definition.js';
import { workflowCalls } from './workflow-permissions.js';

/** Every key DownloadMedia writes starts with this (`mediaBlobKey`); the lifecycle rule and IAM use it. */
export const MEDIA_KEY_PREFIX = 'media/';

export const ANALYSIS_DEFAULTS = {
  /** Retention of the functions' and the state machine's logs. */
  logRetention: logs.RetentionDays.ONE_MONTH,
  /** Downloaded photos are deleted this long after they were written. */
  mediaRetention: Duration.days(30),
  /** The default plan (`standard`): no DetectToxicContent, which exists only in some regions (docs/aws.md). */
  calls: DEFAULT_CALL_PLAN,
  /** Failures only (caught ones included): see `AnalysisStackProps.logLevel`. */
  logLevel: sfn.LogLevel.ERROR,
  tracing: false,
} as const;

export interface AnalysisStackProps extends StackProps {
  /** Retention of the three functions' logs and of the state machine's log. @default one month */
  logRetention?: logs.RetentionDays;
  /** Code for all three functions; tests pass inline code. @default each bundled src/lambda/<task>.ts */
  code?: lambda.Code;
  /**
   * The optional AI calls (`MURMUR_ANALYSIS_CALLS` syntax: presets `lean`, `standard`, `full`,
   * call names, `-name`; see docs/cost.md). The state machine's role may make only these.
   * `toxicity` (DetectToxicContent) is offered only in some regions (four at its launch in
   * November 2023: us-east-1, us-west-2, eu-west-1, ap-southeast-2; check Comprehend's region
   * table); elsewhere every call would fail, be retried, and end as a per-part error.
   * @default 'standard'
   */
  calls?: string;
  /** How long downloaded photos are kept in the media bucket (whole days). @default 30 days */
  mediaRetention?: Duration;
  /**
   * What the state machine logs. ERROR logs every failed state, caught ones too (a 404 photo, a
   * throttled call), and failed executions; ALL adds every state transition of every execution
   * (about 55 events for a text-only message, 90 to 110 with one photo), which costs more in CloudWatch
   * Logs than the workflow itself. Raise it to trace a problem. Execution data (the messages)
   * is never logged. @default ERROR
   */
  logLevel?: sfn.LogLevel;
  /** X-Ray tracing of executions. @default false */
  tracing?: boolean;
}

const LAMBDA_DIR = new URL('../src/lambda/', import.meta.url);

interface TaskFunctionConfig {
  entry: string;
  description: string;
  timeout: Duration;
  memorySize: number;
}

const TASK_FUNCTIONS: Record<AnalysisTaskName, TaskFunctionConfig> = {
  PrepareMessage: {
    entry: 'prepare-message.ts',
    description: 'Murmur analysis: PrepareMessage (checks MESSAGE_RECEIVED, plans the AI calls)',
    // Schema checks and a few regular expressions.
    timeout: Duration.seconds(10),
    memorySize: 256,
  },
  DownloadMedia: {
    entry: 'download-media.ts',
    description: 'Murmur analysis: DownloadMedia (one photo from an allowed host into the media bucket)',
    // The download has its own deadline (MURMUR_MEDIA_TIMEOUT_MS); the S3 put comes after it. A
    // Lambda timeout inside that window would surface as Sandbox.Timedout instead of MediaTimeout.
    timeout: Duration.millis(DEFAULT_MEDIA_TIMEOUT_MS).plus(Duration.seconds(20)),
    // Up to 5 MiB in memory; more memory also means more CPU and network for TLS and the put.
    memorySize: 512,
  },
  AssembleAnalysis: {
    entry: 'assemble-analysis.ts',
    description: 'Murmur analysis: AssembleAnalysis (the results as one MESSAGE_ANALYSED detail)',
    timeout: Duration.seconds(10),
    memorySize: 256,
  },
};

export class AnalysisStack extends Stack {
  readonly bus: events.IEventBus;
  readonly mediaBucket: s3.Bucket;
  /** One per task function of the declaration, by task name. */
  readonly functions: Record<AnalysisTaskName, lambda.Function>;
  readonly stateMachine: sfn.StateMachine;
  readonly stateMachineRole: iam.Role;
  readonly stateMachineLogs: logs.LogGroup;
  /** The declaration's rule on MESSAGE_RECEIVED, and the dead-letter queue of its target. */
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: AnalysisStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? ANALYSIS_DEFAULTS.logRetention;
    const callPlan = props.calls ?? ANALYSIS_DEFAULTS.calls;
    // A bad plan fails the synth, not the first message.
    const calls = parseCallPlan(callPlan);
    // Through SSM, not an export: the plumbing stack stays free to change.
    this.bus = lookupMurmurBus(this);

    const service = analysisService({
      media: () => {
        throw new Error('media limits are read by the DownloadMedia function, never at synth');
      },
      calls,
    });
    const declared = service.stateMachines?.find((m) => m.name === ANALYSIS_STATE_MACHINE);
    if (!declared)
      throw new Error(`the analysis service declares no state machine ${ANALYSIS_STATE_MACHINE}`);
    const tasks = Object.keys(service.taskFunctions ?? {}).sort();
    if (tasks.join() !== [...ANALYSIS_TASKS].sort().join()) {
      throw new Error(
        `AnalysisStack has Lambdas for ${ANALYSIS_TASKS.join(', ')}; the service declares ${tasks}`,
      );
    }

    this.mediaBucket = this.createMediaBucket(props.mediaRetention ?? ANALYSIS_DEFAULTS.mediaRetention);
    // Responding writes annotated copies here and egress reads them: they find it by this.
    publishMediaBucketParameter(this, this.mediaBucket);

    this.functions = {} as Record<AnalysisTaskName, lambda.Function>;
    for (const task of ANALYSIS_TASKS) {
      this.functions[task] = this.taskFunction(task, {
        code: props.code,
        logRetention,
        environment:
          task === 'PrepareMessage'
            ? { [ANALYSIS_ENV.calls]: formatCallPlan(calls) }
            : task === 'DownloadMedia'
              ? { [ANALYSIS_ENV.mediaBucket]: this.mediaBucket.bucketName }
              : {},
      });
    }
    // DownloadMedia may write photos, and only photos.
    this.functions.DownloadMedia.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.mediaBucket.arnForObjects(`${MEDIA_KEY_PREFIX}*`)],
      }),
    );
    Validations.of(this.functions.DownloadMedia.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.mediaObjectsForNag()}]`,
      reason:
        'Every photo gets its own key (media/YYYY/MM/DD/<messageId>/<index>-<mediaKey>.<ext>), unknown until the message arrives; the grant is PutObject under the media/ prefix of this one bucket.',
    });

    this.stateMachineLogs = new logs.LogGroup(this, 'StateMachineLogs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' account-wide resource policy small
      // (Step Functions' own advice for log groups it delivers to).
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-${ANALYSIS_STATE_MACHINE}`,
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachineRole = this.createStateMachineRole(declared, calls);
    const logLevel = props.logLevel ?? ANALYSIS_DEFAULTS.logLevel;
    const tracing = props.tracing ?? ANALYSIS_DEFAULTS.tracing;
    this.stateMachine = new sfn.StateMachine(this, 'AnalyseMessage', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      // The declaration's document, byte for byte: the embedded runtime runs the same object.
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(declared.definition)),
      definitionSubstitutions: this.substitutions(declared),
      role: this.stateMachineRole,
      logs: { destination: this.stateMachineLogs, level: logLevel, includeExecutionData: false },
      tracingEnabled: tracing,
    });
    this.acknowledgeStateMachineFindings(logLevel, tracing);

    // EventBridge -> StartExecution, with the declared retries and a dead-letter queue.
    const rendered = renderService(this, this.bus, service, {
      stateMachines: { [ANALYSIS_STATE_MACHINE]: this.stateMachine },
    });
    this.rule = rendered.rules.get(ANALYSIS_RULE_NAME)!;
    this.deadLetterQueue = rendered.deadLetterQueues.get(`${ANALYSIS_RULE_NAME}/${ANALYSIS_STATE_MACHINE}`)!;
    tagAsMurmurService(this, 'analysis');
  }

  /**
   * Private, encrypted with S3-managed keys (Rekognition reads with the caller's permissions and
   * would need KMS grants for a customer key), TLS only. Not versioned: objects are copies of
   * public photos under deterministic keys (a retry rewrites the same bytes), and old versions
   * would outlive the expiry. Retained when the stack is deleted, so a deletion never fails on
   * a non-empty bucket; the lifecycle rule empties it within `mediaRetention` anyway.
   */
  private createMediaBucket(retention: Duration): s3.Bucket {
    const days = retention.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(
        `AnalysisStack mediaRetention must be whole days, at least 1 (got ${retention.toHumanString()})`,
      );
    }
    const bucket = new s3.Bucket(this, 'MediaBucket', {
      ...PRIVATE_BUCKET_PROPS,
      lifecycleRules: [
        // The whole bucket: photos under media/, and what other services derive from them
        // (responding's annotated copies under annotated/) are all short-lived copies.
        {
          id: 'expire-media',
          expiration: Duration.days(days),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds short-lived copies of public X photos, written by one function and read by one state machine role, and expires them; access logs would need a second bucket (itself unlogged). Use CloudTrail S3 data events if object-level auditing is required.',
    });
    return bucket;
  }

  /**
   * One task function (`serviceFunction`: its own role and log group). Prepare and Assemble may
   * only write their logs.
   */
  private taskFunction(
    task: AnalysisTaskName,
    options: {
      code: lambda.Code | undefined;
      logRetention: logs.RetentionDays;
      environment: Record<string, string>;
    },
  ): lambda.Function {
    const config = TASK_FUNCTIONS[task];
    return serviceFunction(this, task, {
      service: 'analysis',
      roleDescription: `Murmur analysis ${task} function: its own log group${task === 'DownloadMedia' ? ', PutObject under media/ of the media bucket' : ''}.`,
      description: config.description,
      timeout: config.timeout,
      memorySize: config.memorySize,
      logRetention: options.logRetention,
      entry: fileURLToPath(new URL(config.entry, LAMBDA_DIR)),
      code: options.code,
      environment: options.environment,
    });
  }

  /** `${Name}` of the document -> what CloudFormation puts there (DefinitionSubstitutions). */
  private substitutions(declared: StateMachineDeclaration): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [placeholder, sub] of Object.entries(declared.substitutions)) {
      if (sub.kind === 'taskFunction') {
        const fn = this.functions[sub.taskFunction as AnalysisTaskName];
        if (!fn)
          throw new Error(`placeholder \${${placeholder}}: no Lambda for task function ${sub.taskFunction}`);
        values[placeholder] = fn.functionArn;
      } else if (sub.kind === 'eventBusName') {
        values[placeholder] = this.bus.eventBusName;
      } else {
        values[placeholder] = this.mediaBucket.bucketName;
      }
    }
    return values;
  }

  /**
   * The state machine's role, from what the document's Task states call: invoke exactly the three
   * functions; the Comprehend and Rekognition actions used (on `*`: they have no resource types);
   * read photos (Rekognition reads S3 with the caller's permissions); publish as murmur.analysis.
   * CDK adds the log-delivery actions Step Functions needs for its log (also on `*`, by AWS's
   * design: those APIs take no resource).
   */
  private createStateMachineRole(declared: StateMachineDeclaration, plan: AnalysisCalls): iam.Role {
    const calls = workflowCalls(declared.definition);
    const role = new iam.Role(this, 'StateMachineRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: {
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'states',
              resource: 'stateMachine',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': this.account },
        },
      }),
      description:
        'Murmur analysis state machine: invoke its three functions, the Comprehend and Rekognition calls of its document, read media/, publish as murmur.analysis, deliver its log.',
    });
    const functionArns = calls.functionPlaceholders.map((placeholder) => {
      const sub = declared.substitutions[placeholder];
      if (sub?.kind !== 'taskFunction') {
        throw new Error(`Task resource \${${placeholder}} is not declared as a task function`);
      }
      return this.functions[sub.taskFunction as AnalysisTaskName].functionArn;
    });
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functionArns }),
    );
    // Only services in SDK_SERVICES_WITHOUT_RESOURCES get here (workflowCalls refuses others).
    for (const actions of Object.values(calls.sdkActions)) {
      // The document makes an optional call only when PrepareMessage's plan has it on.
      const off = new Set(OPTIONAL_CALLS.filter((c) => !plan[c]).map((c) => OPTIONAL_CALL_ACTIONS[c]));
      const granted = actions.filter((a) => !off.has(a));
      if (granted.length === 0) continue;
      role.addToPolicy(new iam.PolicyStatement({ actions: granted, resources: ['*'] }));
    }
    if (calls.sdkActions.rekognition) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [this.mediaBucket.arnForObjects(`${MEDIA_KEY_PREFIX}*`)],
        }),
      );
    }
    if (calls.putsEvents) grantPublish(this.bus, role, 'analysis');
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "Only for actions that take no resource: Comprehend's Detect* and Rekognition's image APIs on the built-in models (no resource types in the Service Authorization Reference), CloudWatch Logs' log-delivery actions Step Functions needs to deliver its log (AWS documents them with Resource *), and with tracing on X-Ray's trace APIs (no resource types either). The actions are the exact ones the ASL document calls.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${this.mediaObjectsForNag()}]`,
        reason:
          "Rekognition reads each photo from S3 with the caller's (this role's) permissions; keys are per message and photo, so GetObject is granted under the media/ prefix of this one bucket.",
      },
    );
    return role;
  }

  private acknowledgeStateMachineFindings(logLevel: sfn.LogLevel, tracing: boolean): void {
    if (logLevel !== sfn.LogLevel.ALL) {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason:
          'ERROR level logs every failed state, caught ones included, and every failed execution; ALL would add every state transition of every message (55-110 events each), more CloudWatch Logs cost than the workflow. Successes are on the bus as MESSAGE_ANALYSED. Set logLevel: ALL to trace.',
      });
    }
    if (!tracing) {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF2',
        reason:
          'Executions are followed by their log and by the correlationId every Murmur event carries; X-Ray would add per-trace cost and a Resource * grant. Set tracing: true to turn it on.',
      });
    }
  }

  /** How cdk-nag spells the media objects ARN in a finding. */
  private mediaObjectsForNag(): string {
    const logicalId = this.getLogicalId(this.mediaBucket.node.defaultChild as s3.CfnBucket);
    return `<${logicalId}.Arn>/${MEDIA_KEY_PREFIX}*`;
  }
}
