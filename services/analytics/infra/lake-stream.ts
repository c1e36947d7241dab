// The lake's Firehose stream, rendered from the declared `deliveryStream` target: dynamic
// partitioning by a JQ query (no Lambda), Firehose's own newline after each record, GZIP, the
// declared buffering, delivery errors logged. The L1 resource, because the L2 S3 destination grants
// its role `bucket.grantReadWrite` (s3:DeleteObject*, s3:List*, ...): here the role gets exactly
// the calls Firehose documents for an S3 destination, under the two prefixes it writes.
import { firehoseJqQuery, firehosePrefix } from '@murmur/lake';
import { DEFAULT_DELIVERY_STREAM_BUFFERING, type DeliveryStreamTarget } from '@murmur/ports';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** The log stream (in the stream's log group) Firehose writes S3 delivery errors to. */
export const DELIVERY_LOG_STREAM = 'S3Delivery';

/** What Firehose documents for an S3 destination: on the bucket, and on the objects it writes. */
export const FIREHOSE_BUCKET_ACTIONS = [
  's3:GetBucketLocation',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
];
export const FIREHOSE_OBJECT_ACTIONS = ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'];

export interface LakeStreamProps {
  /** The declared target: stream name, prefix, partition keys, buffering. */
  target: DeliveryStreamTarget;
  bucket: s3.IBucket;
  /** Where records Firehose could not partition or deliver go, e.g. `errors/!{firehose:error-output-type}/...`. */
  errorOutputPrefix: string;
  logRetention: logs.RetentionDays;
}

export class LakeStream extends Construct {
  readonly stream: firehose.CfnDeliveryStream;
  readonly role: iam.Role;
  /** The role's only policy: S3 under `writePrefixes`, the delivery-error log stream. */
  readonly policy: iam.Policy;
  readonly logGroup: logs.LogGroup;
  /** The key prefixes Firehose writes under (data, errors): its object grants. */
  readonly writePrefixes: readonly string[];

  constructor(scope: Construct, id: string, props: LakeStreamProps) {
    super(scope, id);
    const { target, bucket } = props;
    const stack = Stack.of(this);
    const dataPrefix = firehosePrefix(target);
    this.writePrefixes = [literalRoot(dataPrefix), literalRoot(props.errorOutputPrefix)];

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logStream = this.logGroup.addStream('DeliveryLogStream', { logStreamName: DELIVERY_LOG_STREAM });

    this.role = new iam.Role(this, 'Role', {
      // Firehose passes the account as the external id (the confused-deputy guard it documents).
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': stack.account } },
      }),
      description: `Murmur analytics: Firehose ${target.streamName} writes ${this.writePrefixes.join(' and ')} of the lake bucket and logs its delivery errors.`,
    });
    this.policy = new iam.Policy(this, 'RolePolicy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({ actions: FIREHOSE_BUCKET_ACTIONS, resources: [bucket.bucketArn] }),
        new iam.PolicyStatement({
          actions: FIREHOSE_OBJECT_ACTIONS,
          resources: this.writePrefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
        }),
        new iam.PolicyStatement({
          actions: ['logs:PutLogEvents'],
          resources: [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${this.logGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      ],
    });

    const buffering = target.buffering ?? DEFAULT_DELIVERY_STREAM_BUFFERING;
    this.stream = new firehose.CfnDeliveryStream(this, 'Resource', {
      deliveryStreamName: target.streamName,
      deliveryStreamType: 'DirectPut',
      // Records wait in Firehose's buffer encrypted at rest.
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: this.role.roleArn,
        prefix: dataPrefix,
        errorOutputPrefix: props.errorOutputPrefix,
        bufferingHints: { intervalInSeconds: buffering.intervalSeconds, sizeInMBs: buffering.sizeMiB },
        compressionFormat: 'GZIP',
        fileExtension: '.json.gz',
        // The bucket's default encryption (SSE-S3) applies: Athena and Glue read it with no key grants.
        encryptionConfiguration: { noEncryptionConfig: 'NoEncryption' },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: this.logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
        dynamicPartitioningConfiguration: { enabled: true },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: firehoseJqQuery(target) },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            // Firehose's own delimiter (a newline, its default): one JSON record per line.
            { type: 'AppendDelimiterToRecord' },
          ],
        },
        s3BackupMode: 'Disabled',
      },
    });
    // Firehose checks its role when the stream is created: the grants must exist by then.
    this.stream.node.addDependency(this.policy);
  }
}

/** The folders of a prefix before its first `!{...}` expression: `events/event_type=!{...}/` -> `events/`. */
function literalRoot(prefix: string): string {
  const literal = prefix.split('!{')[0]!;
  const root = literal.slice(0, literal.lastIndexOf('/') + 1);
  if (!/^([A-Za-z0-9_.=-]+\/)+$/.test(root)) {
    throw new Error(`Firehose prefix "${prefix}" must start with a fixed folder, e.g. "events/"`);
  }
  return root;
}
