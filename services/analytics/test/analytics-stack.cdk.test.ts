import { beforeAll, describe, expect, it } from '@jest/globals';
import { BUS_NAME_PARAMETER, declaredEventPatterns, renderedEventPatterns } from '@murmur/cdk-constructs';
import {
  acknowledgedIn,
  everyStatement,
  expectNoFindings,
  expectServiceRoles,
  list,
  logicalId,
  type NagReport,
  type Resource,
  resource,
  roleStatements,
  type Statement,
  synthWithNag,
} from '@murmur/cdk-constructs/testing';
// The embedded runtime's reading of the same declaration, to prove both runtimes hold one rule.
import { planServices } from '@murmur/embedded-runtime';
import { DETAIL_TYPES, loadExamples } from '@murmur/events';
import { App, type CfnResource, Duration, Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ANALYTICS_DEFAULTS, AnalyticsStack, lakeTargetOf } from '../infra/analytics-stack.js';
import {
  ANALYTICS_WORKGROUP,
  ATHENA_ENGINE_VERSION,
  ATHENA_RESULTS_PREFIX,
  athenaNamedQueries,
} from '../infra/athena-workgroup.js';
import { JSON_SERDE, TEXT_INPUT_FORMAT, TEXT_OUTPUT_FORMAT } from '../infra/glue-tables.js';
import {
  ANALYTICS_RULE_NAME,
  analyticsService,
  DATABASE_NAME,
  eventPrefix,
  FIREHOSE_ERROR_PREFIX,
  FIREHOSE_JQ_QUERY,
  FIREHOSE_PREFIX,
  LAKE_BUFFERING,
  LAKE_PREFIX,
  LAKE_STREAM_NAME,
  LIVE_EVENTS_PATTERN,
  lakeStreamTarget,
  lakeTables,
  NAMED_QUERIES,
  partitionProjectionParameters,
  REFERENCE_QUERIES,
} from '../src/index.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };
/** Stands for the lake bucket's name in resolved template strings. */
const BUCKET = 'LAKE-BUCKET';

/** A template string, with CDK's Fn::Join resolved and the given Refs replaced by names. */
function templateString(value: unknown, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: string }).Ref;
  if (ref !== undefined) {
    const name = refs[ref];
    if (name === undefined) throw new Error(`unexpected Ref ${ref}`);
    return name;
  }
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`not a string: ${JSON.stringify(value).slice(0, 200)}`);
  return join[1].map((part) => templateString(part, refs)).join(join[0]);
}

/**
 * What Firehose's MetadataExtraction gives for a record, for the JQ forms the contract renders
 * (`{key: .field, key: ."field"[0:10]}`); anything else fails, so a new form cannot pass unread.
 */
function evaluateJq(query: string, record: Record<string, unknown>): Record<string, string> {
  const body = /^\{(.*)\}$/.exec(query)?.[1];
  if (body === undefined) throw new Error(`not a JQ object: ${query}`);
  const keys: Record<string, string> = {};
  for (const part of body.split(', ')) {
    const m = /^([a-z_][a-z0-9_]*): \.(?:([A-Za-z_][A-Za-z0-9_]*)|"([^"]+)")(\[0:(\d+)\])?$/.exec(part);
    if (!m) throw new Error(`JQ form not understood here: ${part}`);
    const value = String(record[m[2] ?? m[3]!]);
    keys[m[1]!] = m[5] ? value.slice(0, Number(m[5])) : value;
  }
  return keys;
}

const TUNED = {
  infrequentAccessAfter: Duration.days(60),
  lakeExpiration: Duration.days(730),
  errorRetention: Duration.days(14),
  resultsRetention: Duration.days(7),
  bytesScannedCutoffPerQuery: Size.gibibytes(1),
  firstEventDate: '2026-03-01',
};

describe('AnalyticsStack', () => {
  let stack: AnalyticsStack;
  let template: Template;
  let tunedStack: AnalyticsStack;
  let tuned: Template;
  let lakeBucketId: string;
  let resultsBucketId: string;
  let streamId: string;

  beforeAll(() => {
    const app = new App();
    stack = new AnalyticsStack(app, 'Analytics', { env: ENV });
    tunedStack = new AnalyticsStack(app, 'AnalyticsTuned', { env: ENV, ...TUNED });
    template = Template.fromStack(stack);
    tuned = Template.fromStack(tunedStack);
    lakeBucketId = stack.getLogicalId(stack.lakeBucket.node.defaultChild as CfnResource);
    resultsBucketId = stack.getLogicalId(stack.resultsBucket.node.defaultChild as CfnResource);
    streamId = stack.getLogicalId(stack.lakeStream.stream);
  });

  describe('the rule', () => {
    it('holds the declaration’s pattern, the one the embedded runtime installs, which excludes replays', () => {
      const service = analyticsService();
      const local = planServices([service]).rules.map((r) => ({
        kind: 'rule' as const,
        name: r.name,
        eventPattern: r.eventPattern,
      }));

      const onAws = renderedEventPatterns(template.toJSON());

      expect(onAws).toEqual(declaredEventPatterns([service]));
      expect(onAws).toEqual(local);
      expect(onAws).toEqual([{ kind: 'rule', name: ANALYTICS_RULE_NAME, eventPattern: LIVE_EVENTS_PATTERN }]);
      // As the archive's own rule: replayed events are re-deliveries the lake already holds.
      expect(onAws[0]!.eventPattern['replay-name']).toEqual([{ exists: false }]);
    });

    it('puts whole events into the stream on the Murmur bus, with the declared retries and a DLQ', () => {
      const rule = resource(template, 'AWS::Events::Rule', 'Subscriptions').Properties;
      const dlqId = stack.getLogicalId(stack.deadLetterQueue.node.defaultChild as CfnResource);
      const retry = lakeStreamTarget().retryPolicy!;

      expect(rule).toMatchObject({
        Name: ANALYTICS_RULE_NAME,
        EventBusName: { Ref: expect.stringMatching(/^SsmParameterValuemurmurbusname/) },
      });
      expect(rule.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: { 'Fn::GetAtt': [streamId, 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
          RetryPolicy: {
            MaximumRetryAttempts: retry.maximumRetryAttempts,
            MaximumEventAgeInSeconds: retry.maximumEventAgeInSeconds,
          },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        },
      ]);
      // EventBridge's role may put records into this stream and do nothing else.
      const roleId = (rule.Targets as { RoleArn: { 'Fn::GetAtt': [string] } }[])[0]!.RoleArn['Fn::GetAtt'][0];
      expect(roleStatements(template, roleId)).toEqual([
        {
          Effect: 'Allow',
          Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          Resource: { 'Fn::GetAtt': [streamId, 'Arn'] },
        },
      ]);
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86_400,
      });
      expect(stack.resolve((stack.rule.node.defaultChild as CfnResource).logicalId)).toBe(
        logicalId(template, 'AWS::Events::Rule', 'Subscriptions'),
      );
    });

    it('finds the bus by its SSM parameter, with no cross-stack import', () => {
      const parameters = Object.values(template.toJSON().Parameters ?? {});

      expect(parameters).toContainEqual({
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: BUS_NAME_PARAMETER,
      });
      expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    });
  });

  describe('the Firehose stream', () => {
    const config = () =>
      resource(template, 'AWS::KinesisFirehose::DeliveryStream', 'LakeStream').Properties
        .ExtendedS3DestinationConfiguration as Record<string, unknown>;

    it('partitions dynamically with the contract’s JQ query and prefix, rendered from the declared target', () => {
      const c = config();

      expect(c.Prefix).toBe(FIREHOSE_PREFIX);
      expect(c.ErrorOutputPrefix).toBe(FIREHOSE_ERROR_PREFIX);
      expect(c.DynamicPartitioningConfiguration).toEqual({ Enabled: true });
      expect((c.ProcessingConfiguration as { Processors: unknown[] }).Processors[0]).toEqual({
        Type: 'MetadataExtraction',
        Parameters: [
          { ParameterName: 'MetadataExtractionQuery', ParameterValue: FIREHOSE_JQ_QUERY },
          { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
        ],
      });
      expect(lakeTargetOf(analyticsService())).toEqual(lakeStreamTarget());
    });

    it('adds Firehose’s own newline after each record, with no Lambda processor at all', () => {
      const processing = config().ProcessingConfiguration as {
        Enabled: boolean;
        Processors: { Type: string }[];
      };

      expect(processing.Enabled).toBe(true);
      expect(processing.Processors.map((p) => p.Type)).toEqual([
        'MetadataExtraction',
        'AppendDelimiterToRecord',
      ]);
      expect(processing.Processors[1]).toEqual({ Type: 'AppendDelimiterToRecord' });
      template.resourceCountIs('AWS::Lambda::Function', 0);
    });

    it('writes gzip files into the lake bucket with the contract’s buffering, encrypted, logging errors', () => {
      const stream = resource(template, 'AWS::KinesisFirehose::DeliveryStream', 'LakeStream');

      expect(stream.Properties).toMatchObject({
        DeliveryStreamName: LAKE_STREAM_NAME,
        DeliveryStreamType: 'DirectPut',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      });
      expect(config()).toMatchObject({
        BucketARN: { 'Fn::GetAtt': [lakeBucketId, 'Arn'] },
        RoleARN: { 'Fn::GetAtt': [logicalId(template, 'AWS::IAM::Role', 'LakeStreamRole'), 'Arn'] },
        CompressionFormat: 'GZIP',
        FileExtension: '.json.gz',
        BufferingHints: {
          IntervalInSeconds: LAKE_BUFFERING.intervalSeconds,
          SizeInMBs: LAKE_BUFFERING.sizeMiB,
        },
        EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
        CloudWatchLoggingOptions: {
          Enabled: true,
          LogGroupName: { Ref: logicalId(template, 'AWS::Logs::LogGroup', 'LakeStreamLogs') },
          LogStreamName: { Ref: logicalId(template, 'AWS::Logs::LogStream', 'LakeStreamLogs') },
        },
        S3BackupMode: 'Disabled',
      });
      // Dynamic partitioning needs at least 64 MiB of buffer.
      expect(LAKE_BUFFERING.sizeMiB).toBeGreaterThanOrEqual(64);
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: 30,
      });
      expect(ANALYTICS_DEFAULTS.logRetention).toBe(30);
    });

    it('has its own role: the documented S3 calls under events/ and errors/, its log stream, nothing else', () => {
      const roleId = logicalId(template, 'AWS::IAM::Role', 'LakeStreamRole');
      const objects = (prefix: string) => ({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [lakeBucketId, 'Arn'] }, `/${prefix}*`]],
      });
      const role = resource(template, 'AWS::IAM::Role', 'LakeStreamRole');

      expect(role.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'firehose.amazonaws.com' },
            Condition: { StringEquals: { 'sts:ExternalId': ENV.account } },
          },
        ],
      });
      const statements = roleStatements(template, roleId);
      expect(statements.slice(0, 2)).toEqual([
        {
          Effect: 'Allow',
          Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          Resource: { 'Fn::GetAtt': [lakeBucketId, 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          Resource: [objects(LAKE_PREFIX), objects('errors/')],
        },
      ]);
      expect(statements).toHaveLength(3);
      expect(statements[2]).toMatchObject({ Effect: 'Allow', Action: 'logs:PutLogEvents' });
      const logStream = templateString(statements[2]!.Resource, {
        'AWS::Partition': 'aws',
        [logicalId(template, 'AWS::Logs::LogGroup', 'LakeStreamLogs')]: 'GROUP',
        [logicalId(template, 'AWS::Logs::LogStream', 'LakeStreamLogs')]: 'S3Delivery',
      });
      expect(logStream).toBe('arn:aws:logs:eu-west-1:111122223333:log-group:GROUP:log-stream:S3Delivery');
      // The stream is created only once its role may write.
      expect(resource(template, 'AWS::KinesisFirehose::DeliveryStream', 'LakeStream').DependsOn).toEqual([
        logicalId(template, 'AWS::IAM::Policy', 'LakeStreamRolePolicy'),
      ]);
      expect(FIREHOSE_ERROR_PREFIX.startsWith('errors/')).toBe(true);
    });

    it('puts every example event in the folder the local writer uses and the tables project', () => {
      const tables = Object.fromEntries(lakeTables().map((t) => [t.name, t]));
      const parameters = (name: string) =>
        (
          resource(template, 'AWS::Glue::Table', `CatalogTable${name.replaceAll('-', '')}`).Properties
            .TableInput as { Parameters: Record<string, unknown> }
        ).Parameters;
      const locationTemplate = (name: string) =>
        templateString(parameters(name)['storage.location.template'], { [lakeBucketId]: BUCKET });
      const enumValues = String(parameters('events-table')['projection.event_type.values']).split(',');
      const examples = loadExamples().filter((e) => e.valid);

      expect(examples.length).toBeGreaterThan(10);
      for (const { envelope } of examples) {
        const record = envelope as unknown as Record<string, unknown>;
        const keys = evaluateJq(FIREHOSE_JQ_QUERY, record);
        // Firehose's key for the record...
        const onS3 = FIREHOSE_PREFIX.replace(
          /!\{partitionKeyFromQuery:([a-z_]+)\}/g,
          (_, k: string) => keys[k]!,
        );
        // ...is the local writer's folder...
        expect(onS3).toBe(eventPrefix(envelope));
        // ...and the folder events-table projects for its partition values.
        expect(enumValues).toContain(envelope['detail-type']);
        const projected = locationTemplate('events-table')
          .replace(`\${event_type}`, keys.event_type!)
          .replace(`\${event_date}`, keys.event_date!);
        expect(projected).toBe(`s3://${BUCKET}/${onS3}`);
        if (envelope['detail-type'] === 'MESSAGE_ANALYSED') {
          expect(
            locationTemplate('analysed-messages-table').replace(`\${event_date}`, keys.event_date!),
          ).toBe(`s3://${BUCKET}/${onS3}`);
          expect(onS3.startsWith(tables['analysed-messages-table']!.location)).toBe(true);
        }
      }
    });
  });

  describe('the buckets', () => {
    it('keep the lake private, SSE-S3, owner-enforced, unversioned and retained', () => {
      for (const id of [lakeBucketId, resultsBucketId]) {
        const bucket = template.findResources('AWS::S3::Bucket')[id] as Resource;
        expect(bucket.Properties).toMatchObject({
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
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
        expect(bucket.DeletionPolicy).toBe('Retain');
      }
      template.resourceCountIs('AWS::S3::Bucket', 2);
    });

    it('refuse requests without TLS 1.2', () => {
      for (const id of [lakeBucketId, resultsBucketId]) {
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
            ]),
          },
        });
      }
    });

    it('move lake files to Standard-IA, expire errors and results, abort stale uploads', () => {
      const rules = (t: Template, id: string) =>
        (
          (t.findResources('AWS::S3::Bucket')[id] as Resource).Properties.LifecycleConfiguration as {
            Rules: unknown[];
          }
        ).Rules;
      const tunedLake = tunedStack.getLogicalId(tunedStack.lakeBucket.node.defaultChild as CfnResource);
      const tunedResults = tunedStack.getLogicalId(tunedStack.resultsBucket.node.defaultChild as CfnResource);

      expect(rules(template, lakeBucketId)).toEqual([
        {
          Id: 'lake-to-infrequent-access',
          Prefix: LAKE_PREFIX,
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }],
        },
        { Id: 'expire-errors', Prefix: 'errors/', Status: 'Enabled', ExpirationInDays: 90 },
        {
          Id: 'abort-incomplete-uploads',
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ]);
      expect(rules(template, resultsBucketId)).toEqual([
        {
          Id: 'expire-results',
          Status: 'Enabled',
          ExpirationInDays: 30,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ]);
      expect(rules(tuned, tunedLake)).toEqual([
        {
          Id: 'lake-to-infrequent-access',
          Prefix: LAKE_PREFIX,
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 60 }],
          ExpirationInDays: 730,
        },
        { Id: 'expire-errors', Prefix: 'errors/', Status: 'Enabled', ExpirationInDays: 14 },
        {
          Id: 'abort-incomplete-uploads',
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ]);
      expect(rules(tuned, tunedResults)).toEqual([
        expect.objectContaining({ Id: 'expire-results', ExpirationInDays: 7 }),
      ]);
      // Small files stay in Standard: Standard-IA bills at least 128 KB per object.
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: Match.objectLike({
          TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
        }),
      });
    });
  });

  describe('the Glue catalog', () => {
    const tableInput = (t: Template, name: string) =>
      resource(t, 'AWS::Glue::Table', `CatalogTable${name.replaceAll('-', '')}`).Properties.TableInput as {
        Name: string;
        TableType: string;
        Parameters: Record<string, unknown>;
        PartitionKeys: { Name: string; Type: string }[];
        StorageDescriptor: {
          Location: unknown;
          Columns: { Name: string; Type: string }[];
          InputFormat: string;
          OutputFormat: string;
          Compressed: boolean;
          SerdeInfo: { SerializationLibrary: string; Parameters: Record<string, string> };
        };
      };

    it('holds the reference design’s database and the contract’s two tables', () => {
      template.hasResourceProperties('AWS::Glue::Database', {
        CatalogId: ENV.account,
        DatabaseInput: Match.objectLike({ Name: DATABASE_NAME }),
      });
      template.resourceCountIs('AWS::Glue::Table', 2);
      expect(
        lakeTables()
          .map((t) => t.name)
          .sort(),
      ).toEqual(['analysed-messages-table', 'events-table']);
      for (const table of lakeTables()) {
        template.hasResourceProperties('AWS::Glue::Table', {
          CatalogId: ENV.account,
          DatabaseName: DATABASE_NAME,
          TableInput: Match.objectLike({ Name: table.name, TableType: 'EXTERNAL_TABLE' }),
        });
      }
      // No crawler: partition projection finds the partitions.
      template.resourceCountIs('AWS::Glue::Crawler', 0);
    });

    it.each(lakeTables().map((t) => [t.name, t] as const))(
      'types %s’s columns and partitions exactly as the contract does',
      (name, table) => {
        const input = tableInput(template, name);

        expect(input.StorageDescriptor.Columns).toEqual(
          table.columns.map((c) => ({ Name: c.name, Type: c.glueType })),
        );
        expect(input.PartitionKeys).toEqual(
          table.partitionKeys.map((k) => ({ Name: k.name, Type: k.glueType })),
        );
        expect(templateString(input.StorageDescriptor.Location, { [lakeBucketId]: BUCKET })).toBe(
          `s3://${BUCKET}/${table.location}`,
        );
      },
    );

    it.each(lakeTables().map((t) => [t.name] as const))(
      'reads %s as gzip JSON lines with the OpenX SerDe, keys case-insensitive',
      (name) => {
        const input = tableInput(template, name);

        expect(input.StorageDescriptor).toMatchObject({
          InputFormat: TEXT_INPUT_FORMAT,
          OutputFormat: TEXT_OUTPUT_FORMAT,
          Compressed: true,
          SerdeInfo: {
            SerializationLibrary: JSON_SERDE,
            Parameters: {
              'case.insensitive': 'TRUE',
              'ignore.malformed.json': 'TRUE',
              'dots.in.keys': 'FALSE',
            },
          },
        });
        expect(JSON_SERDE).toBe('org.openx.data.jsonserde.JsonSerDe');
        expect(input.Parameters).toMatchObject({
          classification: 'json',
          compressionType: 'gzip',
          EXTERNAL: 'TRUE',
        });
      },
    );

    it.each(lakeTables().map((t) => [t.name, t] as const))(
      'projects %s’s partitions (no MSCK REPAIR): the contract’s properties, on this bucket',
      (name, table) => {
        const resolve = (params: Record<string, unknown>, bucketId: string) =>
          Object.fromEntries(
            Object.entries(params).map(([k, v]) => [k, templateString(v, { [bucketId]: BUCKET })]),
          );
        const tunedLake = tunedStack.getLogicalId(tunedStack.lakeBucket.node.defaultChild as CfnResource);
        const projection = (params: Record<string, string>) =>
          Object.fromEntries(
            Object.entries(params).filter(([k]) => k.startsWith('projection.') || k.startsWith('storage.')),
          );

        const params = resolve(tableInput(template, name).Parameters, lakeBucketId);
        const tunedParams = resolve(tableInput(tuned, name).Parameters, tunedLake);

        expect(projection(params)).toEqual(partitionProjectionParameters(table, `s3://${BUCKET}`));
        expect(projection(tunedParams)).toEqual(
          partitionProjectionParameters(table, `s3://${BUCKET}`, TUNED.firstEventDate),
        );
        expect(params).toMatchObject({
          'projection.enabled': 'true',
          'projection.event_date.type': 'date',
          'projection.event_date.format': 'yyyy-MM-dd',
          'projection.event_date.range': expect.stringMatching(/^\d{4}-\d{2}-\d{2},NOW$/),
        });
        expect(tunedParams['projection.event_date.range']).toBe('2026-03-01,NOW');
        if (name === 'events-table') {
          expect(params['projection.event_type.type']).toBe('enum');
          expect(params['projection.event_type.values']).toBe(DETAIL_TYPES.join(','));
        } else {
          // The detail-type is fixed by the location: no event_type partition at all.
          expect(params['projection.event_type.type']).toBeUndefined();
        }
      },
    );
  });

  describe('the Athena workgroup', () => {
    it('enforces its settings: engine 3, encrypted results in the results bucket, a bytes-scanned cutoff', () => {
      const workgroup = resource(template, 'AWS::Athena::WorkGroup', 'AthenaWorkGroup').Properties;

      expect(workgroup).toMatchObject({
        Name: ANALYTICS_WORKGROUP,
        State: 'ENABLED',
        RecursiveDeleteOption: false,
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          BytesScannedCutoffPerQuery: ANALYTICS_DEFAULTS.bytesScannedCutoffPerQuery.toBytes(),
          EngineVersion: { SelectedEngineVersion: ATHENA_ENGINE_VERSION },
          ResultConfiguration: {
            EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
            ExpectedBucketOwner: ENV.account,
          },
        },
      });
      const output = (
        workgroup.WorkGroupConfiguration as { ResultConfiguration: { OutputLocation: unknown } }
      ).ResultConfiguration.OutputLocation;
      expect(templateString(output, { [resultsBucketId]: 'RESULTS' })).toBe(
        `s3://RESULTS/${ATHENA_RESULTS_PREFIX}`,
      );
      expect(ANALYTICS_DEFAULTS.bytesScannedCutoffPerQuery.toBytes()).toBe(10 * 1024 ** 3);
      tuned.hasResourceProperties('AWS::Athena::WorkGroup', {
        WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 1024 ** 3 }),
      });
    });

    it('holds every named query with the contract’s SQL, in the workgroup and the database', () => {
      const workgroupId = logicalId(template, 'AWS::Athena::WorkGroup', 'AthenaWorkGroup');
      const named = Object.values(template.findResources('AWS::Athena::NamedQuery')).map(
        (q) => (q as Resource).Properties,
      );

      expect(athenaNamedQueries().map((q) => q.name)).toEqual(
        [...NAMED_QUERIES, ...REFERENCE_QUERIES].map((q) => q.name),
      );
      expect(named).toHaveLength(athenaNamedQueries().length);
      for (const query of [...NAMED_QUERIES, ...REFERENCE_QUERIES]) {
        expect(named).toContainEqual({
          Name: query.name,
          Description: query.description,
          Database: DATABASE_NAME,
          QueryString: query.sql,
          WorkGroup: { Ref: workgroupId },
        });
      }
    });

    it('offers a query policy: the workgroup, the catalog entries, reads under events/, results under results/', () => {
      const policy = resource(template, 'AWS::IAM::ManagedPolicy', 'AthenaQueryPolicy').Properties
        .PolicyDocument as { Statement: Statement[] };
      const refs = { 'AWS::Partition': 'aws', [lakeBucketId]: 'LAKE', [resultsBucketId]: 'RESULTS' };
      const resolved = policy.Statement.map((s) => ({
        actions: list(s.Action),
        resources: list(s.Resource).map((r) => {
          const att = (r as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
          if (att) return `arn:aws:s3:::${refs[att[0]]}`;
          const join = (r as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
          return join[1]
            .map((p) => {
              const a = (p as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
              return a ? `arn:aws:s3:::${refs[a[0]]}` : templateString(p, refs);
            })
            .join(join[0]);
        }),
      }));

      expect(resolved.map((s) => s.resources)).toEqual([
        ['arn:aws:athena:eu-west-1:111122223333:workgroup/murmur'],
        [
          'arn:aws:glue:eu-west-1:111122223333:catalog',
          'arn:aws:glue:eu-west-1:111122223333:database/messages-data-lake',
          'arn:aws:glue:eu-west-1:111122223333:table/messages-data-lake/analysed-messages-table',
          'arn:aws:glue:eu-west-1:111122223333:table/messages-data-lake/events-table',
        ],
        ['arn:aws:s3:::LAKE'],
        ['arn:aws:s3:::LAKE/events/*'],
        ['arn:aws:s3:::RESULTS'],
        ['arn:aws:s3:::RESULTS/results/*'],
      ]);
      // Reading the lake only: nothing that writes or deletes there.
      expect(resolved[3]!.actions).toEqual(['s3:GetObject']);
      expect(resolved.flatMap((s) => s.actions).filter((a) => /Delete/.test(a))).toEqual([]);
    });
  });

  describe('IAM', () => {
    it('allows no wildcard action and no Resource "*" anywhere (denies aside)', () => {
      for (const t of [template, tuned]) {
        const allows = everyStatement(t).filter((s) => s.Effect === 'Allow');
        expect(allows.length).toBeGreaterThan(5);
        for (const s of allows) {
          for (const action of list(s.Action)) expect(action).not.toContain('*');
          expect(list(s.Resource)).not.toContain('*');
        }
      }
    });

    it('uses no AWS managed policy, and tags every role murmur-service=analytics', () => {
      // Firehose's role, EventBridge's role for the stream.
      expect(expectServiceRoles(template, 'analytics')).toHaveLength(2);
    });
  });

  describe('bad props', () => {
    const build = (props: ConstructorParameters<typeof AnalyticsStack>[2]) => () =>
      new AnalyticsStack(new App(), 'Bad', { env: ENV, ...props });

    it('refuses lifecycle periods S3 would refuse, or that are not whole days', () => {
      expect(build({ infrequentAccessAfter: Duration.days(29) })).toThrow(
        'AnalyticsStack infrequentAccessAfter must be whole days, at least 30 (got 29 days)',
      );
      expect(build({ errorRetention: Duration.hours(36) })).toThrow(
        'AnalyticsStack errorRetention must be whole days, at least 1 (got 1 day 12 hours)',
      );
      expect(build({ resultsRetention: Duration.days(0) })).toThrow(
        /resultsRetention must be whole days, at least 1/,
      );
      expect(build({ lakeExpiration: Duration.days(90) })).toThrow(
        'AnalyticsStack lakeExpiration (90 days) must come after infrequentAccessAfter (90 days)',
      );
    });

    it('refuses a bytes-scanned cutoff under Athena’s 10 MB minimum', () => {
      expect(build({ bytesScannedCutoffPerQuery: Size.mebibytes(9) })).toThrow(
        'AnalyticsStack bytesScannedCutoffPerQuery must be a whole number of bytes, at least 10 MB (10000000), got 9437184',
      );
      expect(build({ bytesScannedCutoffPerQuery: Size.mebibytes(10) })).not.toThrow();
    });

    it('refuses a first event date that is not a real YYYY-MM-DD day', () => {
      for (const day of ['2024-02-30', '2024-13-01', '24-01-01', '2024-1-1', '2024-01-01T00:00:00Z', '']) {
        expect(build({ firstEventDate: day })).toThrow(
          `AnalyticsStack firstEventDate must be a day as YYYY-MM-DD, got "${day}"`,
        );
      }
      expect(build({ firstEventDate: '2024-02-29' })).not.toThrow();
    });
  });
});

describe('cdk-nag AwsSolutions over the analytics stack', () => {
  let stack: AnalyticsStack;
  let logged: AnalyticsStack;
  let report: NagReport;

  beforeAll(() => {
    // As infra/test/nag.test.ts: synth throws on unacknowledged errors; the report holds warnings too.
    const app = new App();
    stack = new AnalyticsStack(app, 'AnalyticsNag', { env: ENV });
    // An existing access-log bucket, known by name (imported where the app already has a stack).
    logged = new AnalyticsStack(app, 'AnalyticsLogged', {
      env: ENV,
      ...TUNED,
      accessLogsBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', 'murmur-access-logs'),
    });
    report = synthWithNag(app);
  });

  it('is clean', () => {
    expectNoFindings(report, stack);
    expectNoFindings(report, logged);
  });

  it('acknowledges only the prefix grants, the buckets’ access logs and the DLQ’s DLQ, each with a reason', () => {
    const lake = stack.getLogicalId(stack.lakeBucket.node.defaultChild as CfnResource);
    const results = stack.getLogicalId(stack.resultsBucket.node.defaultChild as CfnResource);

    expect(acknowledgedIn(stack)).toEqual([
      `AwsSolutions-IAM5[Resource::<${lake}.Arn>/errors/*]`,
      `AwsSolutions-IAM5[Resource::<${lake}.Arn>/events/*]`,
      `AwsSolutions-IAM5[Resource::<${results}.Arn>/results/*]`,
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
    ]);
    // With an access-log bucket, the buckets log there and S1 needs no acknowledgement.
    expect(acknowledgedIn(logged)).not.toContain('AwsSolutions-S1');
    const loggedTemplate = Template.fromStack(logged);
    expect(JSON.stringify(loggedTemplate.toJSON())).not.toContain('Fn::ImportValue');
    loggedTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: 'murmur-access-logs', LogFilePrefix: 'lake/' },
    });
  });
});
