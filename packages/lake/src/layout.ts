// Where a record goes, from the delivery stream's declaration: the same keys on S3 (Firehose with
// dynamic partitioning) and on disk (the local writer). Both renderings come from this one place.
import type { DeliveryStreamPartitionKey, DeliveryStreamTarget } from '@murmur/ports';

/** The part of a delivery stream declaration that decides where records go. */
export type LakeLayout = Pick<DeliveryStreamTarget, 'prefix' | 'partitionKeys'>;

/** A partition value must be one safe path segment (Firehose would write anything; a disk must not). */
const PARTITION_VALUE = /^[A-Za-z0-9_.:+-]{1,128}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class PartitionError extends Error {
  override name = 'PartitionError';
}

/** The value of one partition key for a record, or a PartitionError saying why it has none. */
export function partitionValue(key: DeliveryStreamPartitionKey, record: Record<string, unknown>): string {
  const raw = record[key.field];
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new PartitionError(`record has no string "${key.field}" for partition ${key.name}`);
  }
  const value = key.transform === 'date' ? raw.slice(0, 10) : raw;
  if (key.transform === 'date' && !(DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) {
    throw new PartitionError(`"${key.field}" is not an ISO-8601 time (${JSON.stringify(raw)})`);
  }
  if (!PARTITION_VALUE.test(value)) {
    throw new PartitionError(
      `partition ${key.name} value ${JSON.stringify(value)} is not a safe path segment`,
    );
  }
  return value;
}

/** `<prefix><k1>=<v1>/<k2>=<v2>/`: the folder (S3 key prefix) a record is written under. */
export function recordPrefix(layout: LakeLayout, record: Record<string, unknown>): string {
  return layout.prefix + layout.partitionKeys.map((k) => `${k.name}=${partitionValue(k, record)}/`).join('');
}

/** The folder of the partitions where the first keys have these values, e.g. `events/event_type=X/`. */
export function partitionPrefix(layout: LakeLayout, values: Record<string, string>): string {
  let prefix = layout.prefix;
  for (const key of layout.partitionKeys) {
    const value = values[key.name];
    if (value === undefined) break;
    prefix += `${key.name}=${value}/`;
  }
  return prefix;
}

/**
 * Firehose's S3 prefix with dynamic partitioning, e.g.
 * `events/event_type=!{partitionKeyFromQuery:event_type}/event_date=!{partitionKeyFromQuery:event_date}/`.
 */
export function firehosePrefix(layout: LakeLayout): string {
  return (
    layout.prefix + layout.partitionKeys.map((k) => `${k.name}=!{partitionKeyFromQuery:${k.name}}/`).join('')
  );
}

/**
 * The JQ query of Firehose's MetadataExtraction processor giving every partition key, e.g.
 * `{event_type: ."detail-type", event_date: .time[0:10]}`.
 */
export function firehoseJqQuery(layout: LakeLayout): string {
  const fields = layout.partitionKeys.map((k) => {
    const path = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k.field) ? `.${k.field}` : `.${JSON.stringify(k.field)}`;
    return `${k.name}: ${k.transform === 'date' ? `${path}[0:10]` : path}`;
  });
  return `{${fields.join(', ')}}`;
}
