// The analytics stack: every live event on the Murmur bus -> Firehose (dynamic partitioning by
// detail-type and UTC date, newline-delimited, gzip) -> the lake bucket; a Glue database whose
// tables project their partitions from that layout; an Athena workgroup with the named queries.
// The layout, tables and queries are the contract in ../src, which the local lake uses too.
import {
  type DeliveryStreamLike,
  lookupMurmurBus,
  PRIVATE_BUCKET_PROPS,
  renderService,
  tagAsMurmurService,
} from '@murmur/cdk-constructs';
import type { DeliveryStreamTarget, ServiceDeclaration } from '@murmur/ports';
import { CfnOutput, Duration, RemovalPolicy, Size, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ANALYTICS_RULE_NAME, analyticsService } from '../src/declaration.js';
import { FIREHOSE_ERROR_PREFIX, LAKE_STREAM_NAME } from '../src/layout.js';
import { ATHENA_RESULTS_PREFIX, LakeWorkgroup } from './athena-workgroup.js';
import { LakeCatalog } from './glue-tables.js';
import { LakeStream } from './lake-stream.js';

export const ANALYTICS_DEFAULTS = {
  /** Lake files move to S3 Standard-IA this long after they were written (30 days at least). */
  infrequentAccessAfter: Duration.days(90),
  /** Lake files are kept until deleted by hand: the lake is the history. */
  lakeExpiration: undefined as Duration | undefined,
  /** Records Firehose could not partition or deliver (under `errors/`) are kept this long. */
  errorRetention: Duration.days(90),
  /** Athena's result files are deleted this long after the query. */
  resultsRetention: Duration.days(30),
  /** One query may scan this much before Athena cancels it: 10 GiB is about $0.05 at $5/TB. */
  bytesScannedCutoffPerQuery: Size.gibibytes(10),
  /** Retention of Firehose's delivery-error log. */
  logRetention: logs.RetentionDays.ONE_MONTH,
} as const;

export interface AnalyticsStackProps extends StackProps {
  /** When lake files move to S3 Standard-IA (whole days, at least 30). @default 90 days */
  infrequentAccessAfter?: Duration;
  /** When lake files are deleted (whole days, after the move to Standard-IA). @default never */
  lakeExpiration?: Duration;
  /** How long records Firehose could not partition or deliver are kept (whole days). @default 90 days */
  errorRetention?: Duration;
  /** How long Athena's result files are kept (whole days). @default 30 days */
  resultsRetention?: Duration;
  /** The most one query may scan (at least 10 MB); Athena cancels it there. @default 10 GiB */
  bytesScannedCutoffPerQuery?: Size;
  /**
   * The first day (`YYYY-MM-DD`, UTC) the tables' `event_date` projection covers: the day of the
   * first deploy is best (Athena lists every projected day a query does not filter out).
   * @default the contract's, 2024-01-01
   */
  firstEventDate?: string;
  /** Retention of Firehose's delivery-error log. @default one month */
  logRetention?: logs.RetentionDays;
  /** A bucket for S3 server access logs of the lake and results buckets. @default none (see docs/analytics-aws.md) */
  accessLogsBucket?: s3.IBucket;
}

export class AnalyticsStack extends Stack {
  readonly bus: events.IEventBus;
  /** Every live event, under `events/event_type=<detail-type>/event_date=<YYYY-MM-DD>/`. */
  readonly lakeBucket: s3.Bucket;
  /** The Athena workgroup's query results. */
  readonly resultsBucket: s3.Bucket;
  readonly lakeStream: LakeStream;
  readonly catalog: LakeCatalog;
  readonly workgroup: LakeWorkgroup;
  /** The declaration's rule (every live event -> the stream), and its target's dead-letter queue. */
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: AnalyticsStackProps = {}) {
    super(scope, id, props);
    const service = analyticsService();
    const target = lakeTargetOf(service);
    // Through SSM, not an export: the plumbing stack stays free to change.
    this.bus = lookupMurmurBus(this);

    const infrequentAccessAfter = wholeDays(
      'infrequentAccessAfter',
      props.infrequentAccessAfter ?? ANALYTICS_DEFAULTS.infrequentAccessAfter,
      // S3 moves objects to Standard-IA no sooner than 30 days after their creation.
      30,
    );
    const lakeExpiration = props.lakeExpiration
      ? wholeDays('lakeExpiration', props.lakeExpiration)
      : undefined;
    if (lakeExpiration !== undefined && lakeExpiration <= infrequentAccessAfter) {
      throw new Error(
        `AnalyticsStack lakeExpiration (${lakeExpiration} days) must come after infrequentAccessAfter (${infrequentAccessAfter} days)`,
      );
    }
    if (props.firstEventDate !== undefined) checkDay('firstEventDate', props.firstEventDate);

    this.lakeBucket = this.createBucket('LakeBucket', props.accessLogsBucket, 'lake/', [
      {
        id: 'lake-to-infrequent-access',
        prefix: target.prefix,
        transitions: [
          {
            storageClass: s3.StorageClass.INFREQUENT_ACCESS,
            transitionAfter: Duration.days(infrequentAccessAfter),
          },
        ],
        ...(lakeExpiration !== undefined ? { expiration: Duration.days(lakeExpiration) } : {}),
      },
      {
        id: 'expire-errors',
        prefix: this.errorRoot(),
        expiration: Duration.days(
          wholeDays('errorRetention', props.errorRetention ?? ANALYTICS_DEFAULTS.errorRetention),
        ),
      },
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ]);
    this.resultsBucket = this.createBucket('ResultsBucket', props.accessLogsBucket, 'athena-results/', [
      {
        id: 'expire-results',
        expiration: Duration.days(
          wholeDays('resultsRetention', props.resultsRetention ?? ANALYTICS_DEFAULTS.resultsRetention),
        ),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ]);

    this.lakeStream = new LakeStream(this, 'LakeStream', {
      target,
      bucket: this.lakeBucket,
      errorOutputPrefix: FIREHOSE_ERROR_PREFIX,
      logRetention: props.logRetention ?? ANALYTICS_DEFAULTS.logRetention,
    });
    Validations.of(this.lakeStream.policy).acknowledge(
      ...this.lakeStream.writePrefixes.map((prefix) => ({
        id: `AwsSolutions-IAM5[Resource::${this.objectsForNag(this.lakeBucket, prefix)}]`,
        reason: `Firehose names every file it writes under ${prefix} itself (partition folders, then a time and a random id); the grant is the object calls it documents for an S3 destination, under this one prefix of the lake bucket.`,
      })),
    );

    this.catalog = new LakeCatalog(this, 'Catalog', {
      bucket: this.lakeBucket,
      ...(props.firstEventDate !== undefined ? { firstEventDate: props.firstEventDate } : {}),
    });

    const cutoff = props.bytesScannedCutoffPerQuery ?? ANALYTICS_DEFAULTS.bytesScannedCutoffPerQuery;
    this.workgroup = new LakeWorkgroup(this, 'Athena', {
      lakeBucket: this.lakeBucket,
      lakePrefix: target.prefix,
      resultsBucket: this.resultsBucket,
      bytesScannedCutoffPerQuery: cutoff.toBytes(),
    });
    Validations.of(this.workgroup.queryPolicy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${this.objectsForNag(this.lakeBucket, target.prefix)}]`,
        reason:
          'A query reads whichever partition files it selects, under the lake prefix of this one bucket; file names are chosen by Firehose. Read only (GetObject).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${this.objectsForNag(this.resultsBucket, ATHENA_RESULTS_PREFIX)}]`,
        reason:
          'Athena writes each query result under a name it chooses (the query id), with the caller’s permissions, under the results prefix of the results bucket only.',
      },
    );

    // The declaration's rule: every live event -> the stream, with its retries and a DLQ.
    const streams: Record<string, DeliveryStreamLike> = { [LAKE_STREAM_NAME]: this.lakeStream.stream };
    const rendered = renderService(this, this.bus, service, { deliveryStreams: streams });
    this.rule = rendered.rules.get(ANALYTICS_RULE_NAME)!;
    this.deadLetterQueue = rendered.deadLetterQueues.get(
      `${ANALYTICS_RULE_NAME}/stream:${LAKE_STREAM_NAME}`,
    )!;

    new CfnOutput(this, 'LakeBucketName', {
      value: this.lakeBucket.bucketName,
      description: 'The data lake: every live event, events/event_type=<type>/event_date=<day>/*.json.gz',
    });
    new CfnOutput(this, 'AthenaWorkGroup', {
      value: this.workgroup.workGroup.ref,
      description: 'Run queries here (settings enforced, bytes scanned capped per query).',
    });
    new CfnOutput(this, 'QueryPolicyArn', {
      value: this.workgroup.queryPolicy.managedPolicyArn,
      description: 'Attach to the users or roles that query the lake (murmur query --aws).',
    });
    tagAsMurmurService(this, 'analytics');
  }

  /**
   * Private, SSE-S3 (Athena, Glue and Firehose use it with no key grants; a customer key would
   * need kms:Decrypt for every person who queries), TLS only, owner-enforced, unversioned
   * (Firehose never rewrites a file). Retained when the stack is deleted: it holds the history.
   */
  private createBucket(
    id: string,
    accessLogs: s3.IBucket | undefined,
    logPrefix: string,
    lifecycleRules: s3.LifecycleRule[],
  ): s3.Bucket {
    const bucket = new s3.Bucket(this, id, {
      ...PRIVATE_BUCKET_PROPS,
      lifecycleRules,
      // S3's default, said out loud: files under 128 KB (a quiet hour's) stay in Standard, where
      // they cost less than Standard-IA's 128 KB minimum charge.
      transitionDefaultMinimumObjectSize: s3.TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(accessLogs ? { serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: logPrefix } : {}),
    });
    if (!accessLogs) {
      Validations.of(bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'Written only by Firehose and Athena, read only through the query policy; server access logs would need a second bucket (itself unlogged). Pass accessLogsBucket to turn them on, or use CloudTrail S3 data events for object-level auditing.',
      });
    }
    return bucket;
  }

  /** `errors/` of `errors/!{firehose:error-output-type}/...`. */
  private errorRoot(): string {
    return FIREHOSE_ERROR_PREFIX.slice(0, FIREHOSE_ERROR_PREFIX.indexOf('/') + 1);
  }

  /** How cdk-nag spells the objects under `prefix` of a bucket of this stack. */
  private objectsForNag(bucket: s3.Bucket, prefix: string): string {
    const logicalId = this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    return `<${logicalId}.Arn>/${prefix}*`;
  }
}

/** The declaration's lake target: the one `deliveryStream` target of the analytics rule. */
export function lakeTargetOf(service: ServiceDeclaration): DeliveryStreamTarget {
  const sub = service.subscriptions.find((s) => s.ruleName === ANALYTICS_RULE_NAME);
  const targets = (sub?.targets ?? []).filter((t) => t.kind === 'deliveryStream');
  if (targets.length !== 1 || targets[0]!.streamName !== LAKE_STREAM_NAME) {
    throw new Error(
      `the analytics service must declare one delivery stream ${LAKE_STREAM_NAME} on ${ANALYTICS_RULE_NAME}`,
    );
  }
  return targets[0]!;
}

function wholeDays(name: string, value: Duration, min = 1): number {
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < min) {
    throw new Error(
      `AnalyticsStack ${name} must be whole days, at least ${min} (got ${value.toHumanString()})`,
    );
  }
  return days;
}

function checkDay(name: string, value: string): void {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2024-02-30 over to March: the day must read back the same.
  const valid = !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
  if (!valid) throw new Error(`AnalyticsStack ${name} must be a day as YYYY-MM-DD, got "${value}"`);
}
