// The lake layout, as Firehose with dynamic partitioning writes it on S3 (the reference) and the
// local writer writes it under MURMUR_HOME/lake:
//   events/event_type=<detail-type>/event_date=<YYYY-MM-DD of the event time, UTC>/<file>
// One record per line: the EventBridge envelope exactly as delivered.
import { firehoseJqQuery, firehosePrefix, partitionPrefix, recordPrefix } from '@murmur/lake';
import type { DeliveryStreamPartitionKey, DeliveryStreamTarget } from '@murmur/ports';

export const LAKE_PREFIX = 'events/';

/** Hive-style partition columns. Glue/Athena names allow no `-`, and none is a data column's name. */
export const PARTITION_KEYS: readonly DeliveryStreamPartitionKey[] = Object.freeze([
  { name: 'event_type', field: 'detail-type' },
  { name: 'event_date', field: 'time', transform: 'date' },
]);

export const LAKE_STREAM_NAME = 'murmur-events-lake';

/** Firehose's buffering hints (its minimums with dynamic partitioning); locally, when a file is sealed. */
export const LAKE_BUFFERING = Object.freeze({ intervalSeconds: 60, sizeMiB: 64 });

/** The delivery stream target of the analytics rule: the layout as data, for both runtimes. */
export function lakeStreamTarget(): DeliveryStreamTarget {
  return {
    kind: 'deliveryStream',
    streamName: LAKE_STREAM_NAME,
    prefix: LAKE_PREFIX,
    partitionKeys: PARTITION_KEYS.map((k) => ({ ...k })),
    buffering: { ...LAKE_BUFFERING },
    // Firehose takes records for 24 h; the bus retries as long.
    retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 },
  };
}

const layout = { prefix: LAKE_PREFIX, partitionKeys: [...PARTITION_KEYS] };

/** `events/event_type=!{partitionKeyFromQuery:event_type}/event_date=!{partitionKeyFromQuery:event_date}/` */
export const FIREHOSE_PREFIX = firehosePrefix(layout);

/** `{event_type: ."detail-type", event_date: .time[0:10]}`: Firehose's MetadataExtraction JQ query. */
export const FIREHOSE_JQ_QUERY = firehoseJqQuery(layout);

/** Where Firehose puts records it could not partition (its `!{firehose:error-output-type}` prefix). */
export const FIREHOSE_ERROR_PREFIX = 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/';

/** The folder (S3 key prefix) an event's record is written under. */
export function eventPrefix(event: { 'detail-type': string; time: string }): string {
  return recordPrefix(layout, event);
}

/** The folder of one detail-type's records, e.g. `events/event_type=MESSAGE_ANALYSED/`. */
export function detailTypePrefix(detailType: string): string {
  return partitionPrefix(layout, { event_type: detailType });
}
