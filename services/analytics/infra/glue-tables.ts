// The lake's Glue database and tables, from the contract (src/tables.ts): the columns' Glue types
// come from the catalog's JSON Schema, and partition projection (no crawler, no MSCK REPAIR)
// computes every partition's folder from the layout Firehose writes.
import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DATABASE_NAME, type LakeTable, lakeTables, partitionProjectionParameters } from '../src/tables.js';

/** Newline-delimited JSON, gzip, read with the OpenX SerDe. */
export const JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';
export const TEXT_INPUT_FORMAT = 'org.apache.hadoop.mapred.TextInputFormat';
export const TEXT_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/**
 * - `case.insensitive`: records keep the catalog's camelCase keys (`textSentiment`); columns and
 *   struct fields are lowercase, as Athena folds them. The catalog has no two keys differing by case.
 * - `ignore.malformed.json`: a line that is not JSON reads as a row of nulls instead of failing every
 *   query over its day (Firehose writes whole records; this guards against anything else in the folder).
 */
export const SERDE_PARAMETERS: Readonly<Record<string, string>> = Object.freeze({
  'case.insensitive': 'TRUE',
  'ignore.malformed.json': 'TRUE',
  'dots.in.keys': 'FALSE',
});

export interface LakeCatalogProps {
  bucket: s3.IBucket;
  /** The first `event_date` partition projected (`YYYY-MM-DD`). @default the contract's */
  firstEventDate?: string;
}

export class LakeCatalog extends Construct {
  readonly database: glue.CfnDatabase;
  /** By table name. */
  readonly tables: Map<string, glue.CfnTable>;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: DATABASE_NAME,
        description:
          'Murmur data lake: every live event on the bus (written by Firehose, queried by Athena).',
      },
    });
    this.tables = new Map();
    for (const table of lakeTables()) {
      const resource = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId: account,
        databaseName: DATABASE_NAME,
        tableInput: tableInput(table, props),
      });
      resource.node.addDependency(this.database);
      this.tables.set(table.name, resource);
    }
  }
}

function tableInput(table: LakeTable, props: LakeCatalogProps): glue.CfnTable.TableInputProperty {
  const bucketUri = `s3://${props.bucket.bucketName}`;
  return {
    name: table.name,
    description: table.description,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      EXTERNAL: 'TRUE',
      classification: 'json',
      compressionType: 'gzip',
      typeOfData: 'file',
      ...partitionProjectionParameters(
        table,
        bucketUri,
        ...(props.firstEventDate ? [props.firstEventDate] : []),
      ),
    },
    partitionKeys: table.partitionKeys.map((k) => ({ name: k.name, type: k.glueType })),
    storageDescriptor: {
      location: `${bucketUri}/${table.location}`,
      columns: table.columns.map((c) => ({ name: c.name, type: c.glueType })),
      inputFormat: TEXT_INPUT_FORMAT,
      outputFormat: TEXT_OUTPUT_FORMAT,
      compressed: true,
      serdeInfo: { serializationLibrary: JSON_SERDE, parameters: { ...SERDE_PARAMETERS } },
    },
  };
}
