// Presto/Trino functions Athena users reach for, as DuckDB macros with Athena's meaning. Where
// DuckDB has a function of the same name with another meaning, the query rewrite renames calls to
// a `presto_*` macro instead; date_parse and date_format, whose format DuckDB needs as a
// constant, are translated by the rewrite (see sql-rewrite.ts).

/** Trino's JSONPath allows `$["detail-type"]`; DuckDB wants `$."detail-type"`. */
const JSON_PATH = `regexp_replace(p, '\\[\\s*"([^"]*)"\\s*\\]', '."\\1"', 'g')`;

export const PRESTO_MACROS: readonly string[] = [
  'CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
  'CREATE OR REPLACE MACRO from_iso8601_date(s) AS CAST(s AS DATE)',
  `CREATE OR REPLACE MACRO to_iso8601(t) AS strftime(CAST(t AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  "CREATE OR REPLACE MACRO presto_date_add(unit, n, t) AS t + CAST(CAST(n AS VARCHAR) || ' ' || unit AS INTERVAL)",
  'CREATE OR REPLACE MACRO to_unixtime(t) AS epoch(t)',
  'CREATE OR REPLACE MACRO from_unixtime(n) AS to_timestamp(n)',
  // Lists, and the one kind of map the tables hold (the catalog's records of counts).
  'CREATE OR REPLACE MACRO cardinality(x MAP(VARCHAR, BIGINT)) AS len(map_keys(x)), (x) AS len(x)',
  'CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)',
  'CREATE OR REPLACE MACRO approx_percentile(x, p) AS approx_quantile(x, p)',
  `CREATE OR REPLACE MACRO presto_json_path(p) AS ${JSON_PATH}`,
  // Trino returns NULL for an object or array: only scalars are extracted.
  `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS CASE
     WHEN json_type(json_extract(CAST(j AS JSON), presto_json_path(p))) IN ('OBJECT', 'ARRAY') THEN NULL
     ELSE json_extract_string(CAST(j AS JSON), presto_json_path(p)) END`,
  'CREATE OR REPLACE MACRO presto_json_extract(j, p) AS json_extract(CAST(j AS JSON), presto_json_path(p))',
  'CREATE OR REPLACE MACRO json_parse(s) AS json(s)',
  'CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR)',
  'CREATE OR REPLACE MACRO json_size(j, p) AS json_array_length(CAST(j AS JSON), presto_json_path(p))',
  'CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
  'CREATE OR REPLACE MACRO array_join(a, sep) AS array_to_string(a, sep)',
  // Trino counts from 1 and from the end when negative, as DuckDB's list_extract does.
  'CREATE OR REPLACE MACRO presto_element_at(a, i) AS a[i]',
];

/** The Presto functions a query may use locally, for the docs and `murmur query --list`. */
export const PRESTO_FUNCTIONS: readonly string[] = [
  'from_iso8601_timestamp',
  'from_iso8601_date',
  'to_iso8601',
  'date_parse',
  'date_format',
  'date_add',
  'to_unixtime',
  'from_unixtime',
  'cardinality',
  'approx_distinct',
  'approx_percentile',
  'json_extract_scalar',
  'json_extract',
  'json_parse',
  'json_format',
  'json_size',
  'regexp_like',
  'array_join',
  'element_at',
  'transform',
];

/** Presto's MySQL-style date format -> strftime/strptime's, e.g. `%Y-%m-%d %H:%i:%s` -> `%Y-%m-%d %H:%M:%S`. */
export function mysqlToStrftime(format: string): string {
  const map: Record<string, string> = {
    '%': '%%',
    M: '%B',
    i: '%M',
    s: '%S',
    h: '%I',
    e: '%-d',
    c: '%-m',
    k: '%-H',
    l: '%-I',
    W: '%A',
    T: '%H:%M:%S',
    r: '%I:%M:%S %p',
  };
  return format.replace(/%(.)/g, (whole, letter: string) => map[letter] ?? whole);
}
