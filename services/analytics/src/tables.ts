// The lake's tables, for Glue (AWS) and DuckDB (local), from one walk of the catalog's JSON Schema.
import {
  type CatalogEntry,
  catalog,
  DETAIL_TYPES,
  type DetailType,
  envelopeJsonSchemaFor,
} from '@murmur/events';
import type { LakeSchema, LakeTableSpec } from '@murmur/lake';
import { type ColumnType, columnTypeOf, duckdbType, glueType, type JsonSchema } from './column-types.js';
import { detailTypePrefix, LAKE_PREFIX, PARTITION_KEYS } from './layout.js';

/** The reference design's database name: its published Athena queries run unchanged. */
export const DATABASE_NAME = 'messages-data-lake';
export const ANALYSED_MESSAGES_TABLE = 'analysed-messages-table';
export const EVENTS_TABLE = 'events-table';

export interface TableColumn {
  name: string;
  type: ColumnType;
  /** Glue / Hive type string. */
  glueType: string;
  /** DuckDB type string. */
  duckdbType: string;
}

export interface LakeTable {
  name: string;
  description: string;
  /** Relative to the bucket (S3) or the lake root (disk), ending with `/`. */
  location: string;
  /** Partition values fixed by the location, e.g. `{ event_type: 'MESSAGE_ANALYSED' }`. */
  partitionFilter: Record<string, string>;
  /** The detail-types it holds. */
  detailTypes: readonly DetailType[];
  columns: TableColumn[];
  /** Partition columns (strings), in the layout's order. */
  partitionKeys: { name: string; glueType: 'string'; duckdbType: 'VARCHAR' }[];
}

/** Envelope fields that are not columns: replays never reach the lake. */
const NOT_COLUMNS = new Set(['replay-name']);

function column(name: string, type: ColumnType): TableColumn {
  return { name, type, glueType: glueType(type), duckdbType: duckdbType(type) };
}

/** The envelope's columns for one catalog entry, `detail` typed as `detail` says. */
function envelopeColumns(entry: CatalogEntry, detail: 'struct' | 'json'): TableColumn[] {
  const schema = envelopeJsonSchemaFor(entry) as { properties: Record<string, JsonSchema> };
  return Object.entries(schema.properties)
    .filter(([name]) => !NOT_COLUMNS.has(name))
    .map(([name, fieldSchema]) => {
      if (name === 'detail' && detail === 'json') return column(name, { kind: 'json' });
      // Only the envelope's `time` becomes a timestamp column (see WalkOptions).
      return column(name, columnTypeOf(fieldSchema, { dateTimeAsTimestamp: name === 'time' }, `$.${name}`));
    });
}

function partitionColumns(fixed: Record<string, string>) {
  return PARTITION_KEYS.filter((k) => !(k.name in fixed)).map((k) => ({
    name: k.name,
    glueType: 'string' as const,
    duckdbType: 'VARCHAR' as const,
  }));
}

function entryOf(detailType: DetailType): CatalogEntry {
  return catalog.find((e) => e.detailType === detailType)!;
}

/** MESSAGE_ANALYSED only, `detail` as the full struct of its detail. */
export function analysedMessagesTable(): LakeTable {
  const partitionFilter = { event_type: 'MESSAGE_ANALYSED' };
  return {
    name: ANALYSED_MESSAGES_TABLE,
    description:
      'MESSAGE_ANALYSED events, detail as a struct (the reference design table, now partitioned by event_date).',
    location: detailTypePrefix('MESSAGE_ANALYSED'),
    partitionFilter,
    detailTypes: ['MESSAGE_ANALYSED'],
    columns: envelopeColumns(entryOf('MESSAGE_ANALYSED'), 'struct'),
    partitionKeys: partitionColumns(partitionFilter),
  };
}

/** Every event, `detail` as its JSON text: fields no table knows stay queryable with json_extract_scalar. */
export function eventsTable(): LakeTable {
  const [first, ...rest] = catalog.map((entry) => envelopeColumns(entry, 'json'));
  // Every detail-type shares the envelope; the walk proves it rather than assuming it.
  for (const other of rest) {
    if (
      JSON.stringify(other.map((c) => [c.name, c.glueType])) !==
      JSON.stringify(first!.map((c) => [c.name, c.glueType]))
    ) {
      throw new Error('catalog entries disagree on the envelope columns');
    }
  }
  const columns = first!;
  return {
    name: EVENTS_TABLE,
    description: 'Every live event, partitioned by event_type and event_date; detail as JSON text.',
    location: LAKE_PREFIX,
    partitionFilter: {},
    detailTypes: DETAIL_TYPES,
    columns,
    partitionKeys: partitionColumns({}),
  };
}

export function lakeTables(): LakeTable[] {
  return [analysedMessagesTable(), eventsTable()];
}

/** The tables as the local engine takes them. */
export function lakeSchema(): LakeSchema {
  const toSpec = (t: LakeTable): LakeTableSpec => ({
    name: t.name,
    partitionFilter: t.partitionFilter,
    columns: t.columns.map((c) => ({ name: c.name, duckdbType: c.duckdbType })),
    partitionKeys: t.partitionKeys.map((k) => k.name),
  });
  return {
    database: DATABASE_NAME,
    layout: { prefix: LAKE_PREFIX, partitionKeys: PARTITION_KEYS.map((k) => ({ ...k })) },
    tables: lakeTables().map(toSpec),
  };
}

/**
 * Glue table parameters for partition projection: no crawler, no MSCK REPAIR. `bucketUri` is
 * `s3://<bucket>`; event_date is projected from `firstDate` to now.
 */
export function partitionProjectionParameters(
  table: LakeTable,
  bucketUri: string,
  firstDate = '2024-01-01',
): Record<string, string> {
  const params: Record<string, string> = { 'projection.enabled': 'true' };
  let template = `${bucketUri.replace(/\/$/, '')}/${LAKE_PREFIX}`;
  for (const key of PARTITION_KEYS) {
    const fixed = table.partitionFilter[key.name];
    if (fixed !== undefined) {
      template += `${key.name}=${fixed}/`;
      continue;
    }
    template += `${key.name}=\${${key.name}}/`;
    if (key.transform === 'date') {
      Object.assign(params, {
        [`projection.${key.name}.type`]: 'date',
        [`projection.${key.name}.format`]: 'yyyy-MM-dd',
        [`projection.${key.name}.range`]: `${firstDate},NOW`,
        [`projection.${key.name}.interval`]: '1',
        [`projection.${key.name}.interval.unit`]: 'DAYS',
      });
    } else {
      Object.assign(params, {
        [`projection.${key.name}.type`]: 'enum',
        [`projection.${key.name}.values`]: table.detailTypes.join(','),
      });
    }
  }
  params['storage.location.template'] = template;
  return params;
}
