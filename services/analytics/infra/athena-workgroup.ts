// The Athena side of the lake: the `murmur` workgroup (its settings enforced: results encrypted in
// their own bucket, a cap on the bytes one query may scan), the contract's named queries in it, and
// a managed policy that lets a person or `murmur query --aws` run queries there and nothing more.
import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { NAMED_QUERIES, type NamedQuery, REFERENCE_QUERIES } from '../src/named-queries.js';
import { DATABASE_NAME, lakeTables } from '../src/tables.js';

export const ANALYTICS_WORKGROUP = 'murmur';
/** Where the workgroup writes query results, in the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'results/';
/** Athena's smallest per-query cutoff. */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/** Every query Athena gets as a named query: Murmur's own, then the reference design's, unchanged. */
export function athenaNamedQueries(): readonly NamedQuery[] {
  return [...NAMED_QUERIES, ...REFERENCE_QUERIES];
}

/** What running a query in the workgroup takes (Athena's documented set for a query and its results). */
export const QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetWorkGroup',
  'athena:ListQueryExecutions',
  'athena:ListNamedQueries',
  'athena:GetNamedQuery',
  'athena:BatchGetNamedQuery',
];
export const CATALOG_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'];

export interface LakeWorkgroupProps {
  lakeBucket: s3.IBucket;
  /** The lake's data prefix (`events/`): all a query reads. */
  lakePrefix: string;
  resultsBucket: s3.IBucket;
  /** Bytes one query may scan before Athena cancels it (at least 10 MB). */
  bytesScannedCutoffPerQuery: number;
}

export class LakeWorkgroup extends Construct {
  readonly workGroup: athena.CfnWorkGroup;
  /** By query name. */
  readonly namedQueries: Map<string, athena.CfnNamedQuery>;
  /** Attach to the people and roles who query the lake (`murmur query --aws`). */
  readonly queryPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: LakeWorkgroupProps) {
    super(scope, id);
    const cutoff = props.bytesScannedCutoffPerQuery;
    if (!Number.isInteger(cutoff) || cutoff < MIN_BYTES_SCANNED_CUTOFF) {
      throw new Error(
        `AnalyticsStack bytesScannedCutoffPerQuery must be a whole number of bytes, at least 10 MB (${MIN_BYTES_SCANNED_CUTOFF}), got ${cutoff}`,
      );
    }
    const stack = Stack.of(this);
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: ANALYTICS_WORKGROUP,
      description: `Murmur: SQL over the data lake (database ${DATABASE_NAME}). Settings enforced; results expire.`,
      state: 'ENABLED',
      // Deleting the stack keeps a workgroup people saved their own queries in (it then fails loudly).
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: stack.account,
        },
      },
    });

    this.namedQueries = new Map();
    for (const query of athenaNamedQueries()) {
      const named = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: query.description,
        database: DATABASE_NAME,
        queryString: query.sql,
        // The Ref is the workgroup's name: the query is created after it.
        workGroup: this.workGroup.ref,
      });
      this.namedQueries.set(query.name, named);
    }

    this.queryPolicy = this.createQueryPolicy(props);
  }

  /**
   * Athena runs a query with the caller's permissions: the workgroup, the catalog entries of the
   * database and its tables, read under the lake's data prefix, write under the results prefix.
   */
  private createQueryPolicy(props: LakeWorkgroupProps): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const glueArn = (resource: string, resourceName?: string) =>
      stack.formatArn({ service: 'glue', resource, ...(resourceName ? { resourceName } : {}) });
    return new iam.ManagedPolicy(this, 'QueryPolicy', {
      description: `Murmur analytics: run queries in the Athena workgroup ${ANALYTICS_WORKGROUP} over ${DATABASE_NAME}.`,
      statements: [
        new iam.PolicyStatement({
          actions: QUERY_ACTIONS,
          resources: [
            stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: ANALYTICS_WORKGROUP }),
          ],
        }),
        new iam.PolicyStatement({
          actions: CATALOG_READ_ACTIONS,
          resources: [
            glueArn('catalog'),
            glueArn('database', DATABASE_NAME),
            ...lakeTables().map((t) => glueArn('table', `${DATABASE_NAME}/${t.name}`)),
          ],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket'],
          resources: [props.lakeBucket.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [props.lakeBucket.arnForObjects(`${props.lakePrefix}*`)],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [props.resultsBucket.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [props.resultsBucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`)],
        }),
      ],
    });
  }
}
