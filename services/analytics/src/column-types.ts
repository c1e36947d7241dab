// Column types of the lake's tables, derived once from the catalog's JSON Schema: one walk gives a
// neutral type tree, rendered both as Glue/Hive type strings (the AWS tables) and as DuckDB types
// (the local engine), so the two can never describe the same field differently.

/** A JSON Schema (draft-04, as `envelopeJsonSchemaFor` exports it), or a part of one. */
export type JsonSchema = Record<string, unknown> | boolean;

/** The neutral type of one column or field. `json`: any JSON value, kept as its text. */
export type ColumnType =
  | { kind: 'string' }
  | { kind: 'double' }
  | { kind: 'bigint' }
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  | { kind: 'json' }
  | { kind: 'array'; items: ColumnType }
  | { kind: 'map'; values: ColumnType }
  | { kind: 'struct'; fields: { name: string; type: ColumnType }[] };

export interface ColumnTypeStrings {
  /** Glue / Hive DDL type, e.g. `struct<author:struct<id:string>>`. */
  glue: string;
  /** DuckDB type, e.g. `STRUCT("author" STRUCT("id" VARCHAR))`. */
  duckdb: string;
}

export interface WalkOptions {
  /**
   * Render `format: date-time` strings as `timestamp`. Only the envelope's `time` column is one:
   * nested date-times stay strings (Athena's JSON SerDe parses ISO-8601 timestamps reliably only
   * in top-level columns, and a string converts with `from_iso8601_timestamp` on both engines).
   * @default false
   */
  dateTimeAsTimestamp?: boolean;
}

const SIMPLE_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The neutral type of a JSON Schema. Throws on what a table could not hold (e.g. `$ref`). */
export function columnTypeOf(schema: JsonSchema, options: WalkOptions = {}, path = '$'): ColumnType {
  if (typeof schema === 'boolean') return { kind: 'json' };
  if ('$ref' in schema) throw new Error(`${path}: $ref is not supported; inline the schema`);
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options_ = ((schema.anyOf ?? schema.oneOf) as JsonSchema[]).filter((s) => !isNullSchema(s));
    const types = options_.map((s) => columnTypeOf(s, options, path));
    const first = types[0];
    // [T, null] is a nullable T; a union of different types can only be kept as JSON text.
    if (first && types.every((t) => sameType(t, first))) return first;
    return { kind: 'json' };
  }
  const type = typeOfSchema(schema);
  switch (type) {
    case 'string':
      return options.dateTimeAsTimestamp && schema.format === 'date-time'
        ? { kind: 'timestamp' }
        : { kind: 'string' };
    case 'integer':
      return { kind: 'bigint' };
    case 'number':
      return Array.isArray(schema.enum) && schema.enum.every((v) => Number.isInteger(v))
        ? { kind: 'bigint' }
        : { kind: 'double' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array': {
      const items = schema.items;
      if (items === undefined || Array.isArray(items)) return { kind: 'array', items: { kind: 'json' } };
      return { kind: 'array', items: columnTypeOf(items as JsonSchema, nested(options), `${path}[]`) };
    }
    case 'object':
      return objectType(schema, options, path);
    default:
      return { kind: 'json' };
  }
}

function objectType(schema: Record<string, unknown>, options: WalkOptions, path: string): ColumnType {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const names = Object.keys(properties);
  if (names.length === 0) {
    const values = schema.additionalProperties;
    // A record (`z.record`): its keys are data, so a map; an open object with nothing named is JSON.
    if (values && typeof values === 'object' && Object.keys(values).length > 0) {
      return { kind: 'map', values: columnTypeOf(values as JsonSchema, nested(options), `${path}.*`) };
    }
    return { kind: 'json' };
  }
  const seen = new Map<string, string>();
  const fields = names.map((name) => {
    // Both engines match field names case-insensitively: two names differing by case are one field.
    const folded = name.toLowerCase();
    const other = seen.get(folded);
    if (other !== undefined) {
      throw new Error(
        `${path}: fields "${other}" and "${name}" differ only by case; a table cannot hold both`,
      );
    }
    seen.set(folded, name);
    return { name, type: columnTypeOf(properties[name]!, nested(options), `${path}.${name}`) };
  });
  return { kind: 'struct', fields };
}

const nested = (options: WalkOptions): WalkOptions => ({ ...options, dateTimeAsTimestamp: false });

function isNullSchema(schema: JsonSchema): boolean {
  return typeof schema === 'object' && schema.type === 'null';
}

function typeOfSchema(schema: Record<string, unknown>): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    return nonNull.length === 1 ? (nonNull[0] as string) : undefined;
  }
  if (schema.properties !== undefined) return 'object';
  if (Array.isArray(schema.enum)) {
    if (schema.enum.every((v) => typeof v === 'string')) return 'string';
    if (schema.enum.every((v) => typeof v === 'number')) return 'number';
  }
  return undefined;
}

function sameType(a: ColumnType, b: ColumnType): boolean {
  return glueType(a) === glueType(b) && duckdbType(a) === duckdbType(b);
}

/** Glue / Hive DDL type string. Field names are lowercased: Athena folds them, and the OpenX JSON SerDe matches keys case-insensitively. */
export function glueType(type: ColumnType): string {
  switch (type.kind) {
    case 'json':
      return 'string';
    case 'array':
      return `array<${glueType(type.items)}>`;
    case 'map':
      return `map<string,${glueType(type.values)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${glueFieldName(f.name)}:${glueType(f.type)}`).join(',')}>`;
    default:
      return type.kind;
  }
}

function glueFieldName(name: string): string {
  const lower = name.toLowerCase();
  return SIMPLE_FIELD_NAME.test(lower) ? lower : `\`${lower.replaceAll('`', '``')}\``;
}

/** DuckDB type string. Field names keep their case (DuckDB matches them case-insensitively). */
export function duckdbType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'double':
      return 'DOUBLE';
    case 'bigint':
      return 'BIGINT';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'json':
      return 'JSON';
    case 'array':
      return `${duckdbType(type.items)}[]`;
    case 'map':
      return `MAP(VARCHAR, ${duckdbType(type.values)})`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${quoteIdentifier(f.name)} ${duckdbType(f.type)}`).join(', ')})`;
  }
}

/** A SQL identifier in double quotes, as both DuckDB and Athena (Trino) read them. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Both type strings of a JSON Schema, from one walk. */
export function columnTypeStrings(schema: JsonSchema, options: WalkOptions = {}): ColumnTypeStrings {
  const type = columnTypeOf(schema, options);
  return { glue: glueType(type), duckdb: duckdbType(type) };
}
