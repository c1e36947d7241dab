// Murmur's named queries: Athena (Trino) SQL that runs unchanged on Athena and on the local engine.
// They unnest arrays of strings (via transform), never arrays of rows: Trino expands a row into
// one column per field where DuckDB keeps it whole, so row unnests read differently on the two.
import { ANALYSED_MESSAGES_TABLE, DATABASE_NAME, EVENTS_TABLE } from './tables.js';

export interface NamedQuery {
  /** Kebab-case, e.g. `recognised-people` (`murmur query --named <name>`; an Athena named query). */
  name: string;
  description: string;
  sql: string;
}

const analysed = `"${DATABASE_NAME}"."${ANALYSED_MESSAGES_TABLE}"`;
const events = `"${DATABASE_NAME}"."${EVENTS_TABLE}"`;

export const NAMED_QUERIES: readonly NamedQuery[] = Object.freeze([
  {
    name: 'recognised-people',
    description: 'Every recognised (known) person in photos: appearances, messages, last seen',
    sql: `SELECT person, count(*) AS appearances, approx_distinct(id) AS messages, max(time) AS last_seen
FROM ${analysed}
CROSS JOIN UNNEST(flatten(transform(detail.analysis.images,
  image -> transform(image.analysis.celebrityfaces, face -> face.name)))) AS t(person)
GROUP BY person
ORDER BY appearances DESC, person`,
  },
  {
    name: 'image-labels',
    description: 'Every image label (objects in photos): appearances, messages, last seen',
    sql: `SELECT label, count(*) AS appearances, approx_distinct(id) AS messages, max(time) AS last_seen
FROM ${analysed}
CROSS JOIN UNNEST(flatten(transform(detail.analysis.images,
  image -> transform(image.analysis.labels, l -> l.name)))) AS t(label)
GROUP BY label
ORDER BY appearances DESC, label`,
  },
  {
    name: 'positive-messages',
    description: 'All positive messages, newest first, with or without photos',
    sql: `SELECT time, detail.author.screenname AS author, detail.kind AS kind, detail.text AS text
FROM ${analysed}
WHERE detail.analysis.textsentiment = 'POSITIVE'
ORDER BY time DESC`,
  },
  {
    name: 'negative-by-author',
    description: 'Negative messages by author: how many, the latest and its text',
    sql: `SELECT detail.author.screenname AS author, count(*) AS negative_messages, max(time) AS latest,
  max_by(detail.text, time) AS latest_text
FROM ${analysed}
WHERE detail.analysis.textsentiment = 'NEGATIVE'
GROUP BY detail.author.screenname
ORDER BY negative_messages DESC, author`,
  },
  {
    name: 'volume-per-hour',
    description: 'Events per hour and detail-type, newest hour first',
    sql: `SELECT date_trunc('hour', time) AS hour, "detail-type", count(*) AS events
FROM ${events}
GROUP BY date_trunc('hour', time), "detail-type"
ORDER BY hour DESC, "detail-type"`,
  },
]);

/** The reference design's three published queries, verbatim: they run unchanged on both engines. */
export const REFERENCE_QUERIES: readonly NamedQuery[] = Object.freeze([
  {
    name: 'reference-celebrities',
    description: "The reference design's query: every recognised celebrity, by photo",
    sql: `SELECT time, detail.author, celebrityfaces.name
FROM "analysed-messages-table"
CROSS JOIN UNNEST(detail.analysis.images) as t(images)
CROSS JOIN UNNEST(images.analysis.celebrityfaces) as t(celebrityfaces)
WHERE "detail-type" = 'MESSAGE_ANALYSED'
ORDER BY time DESC`,
  },
  {
    name: 'reference-labels',
    description: "The reference design's query: every image label, by photo",
    sql: `SELECT time, detail.author, detail.text, labels.name
FROM "analysed-messages-table"
CROSS JOIN UNNEST(detail.analysis.images) as t(images)
CROSS JOIN UNNEST(images.analysis.labels) as t(labels)
WHERE "detail-type" = 'MESSAGE_ANALYSED'
ORDER BY time DESC`,
  },
  {
    name: 'reference-positive',
    description: "The reference design's query: positive messages (drops text-only ones: its bug)",
    sql: `SELECT time, detail.author, detail.analysis.textsentiment, detail.text
FROM "analysed-messages-table"
CROSS JOIN UNNEST(detail.analysis.images) as t(images)
WHERE "detail-type" = 'MESSAGE_ANALYSED' AND detail.analysis.textsentiment='POSITIVE'
ORDER BY time DESC`,
  },
]);

export function findNamedQuery(name: string): NamedQuery | undefined {
  return [...NAMED_QUERIES, ...REFERENCE_QUERIES].find((q) => q.name === name);
}
