// Athena (Trino) SQL as users write it, made to run well on DuckDB. The statement is parsed by
// DuckDB itself (json_serialize_sql), rewritten as a tree, and turned back into SQL
// (json_deserialize_sql), so nothing here parses SQL text.
//
// The one rewrite that matters for speed: `FROM t CROSS JOIN UNNEST(e) AS x(c)` is a lateral join,
// which DuckDB plans as a duplicate-eliminating join that hashes every column of `t` (the whole
// `detail` struct); at 100k messages that took minutes. The same rows come from an UNNEST in the
// select list of a subquery, `FROM (SELECT *, UNNEST(e) AS c FROM t) AS t`, which streams.
// Both drop a row whose list is empty or NULL, as Trino's CROSS JOIN UNNEST does.

import { mysqlToStrftime } from './presto-functions.js';

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Presto/Trino functions whose DuckDB namesake differs: calls are renamed to a macro or builtin. */
const RENAMES: Record<string, { to: string; arity?: number }> = {
  transform: { to: 'list_transform' },
  json_extract: { to: 'presto_json_extract' },
  date_add: { to: 'presto_date_add', arity: 3 },
  element_at: { to: 'presto_element_at' },
};

export interface RewriteContext {
  /** Column names of a table the query names, if it is a lake table (else undefined: no UNNEST rewrite). */
  columnsOf(table: { catalog: string; schema: string; name: string }): string[] | undefined;
}

/** Rewrites one serialized statement in place; returns it. */
export function rewriteStatement(statement: Node, ctx: RewriteContext): Node {
  walk(statement, ctx);
  return statement;
}

function walk(value: unknown, ctx: RewriteContext): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, ctx);
    return;
  }
  if (!isNode(value)) return;
  for (const child of Object.values(value)) walk(child, ctx);
  if (value.type === 'BASE_TABLE' && String(value.catalog_name).toLowerCase() === 'awsdatacatalog') {
    // Athena's catalog; locally there is only one.
    value.catalog_name = '';
  }
  if (value.class === 'FUNCTION' && typeof value.function_name === 'string' && value.schema === '') {
    const rename = RENAMES[value.function_name.toLowerCase()];
    const arity = Array.isArray(value.children) ? value.children.length : 0;
    if (rename && (rename.arity === undefined || rename.arity === arity)) value.function_name = rename.to;
    translateDateFormat(value);
  }
  if (value.type === 'SELECT_NODE') rewriteUnnestJoins(value, ctx);
}

/** date_parse(s, '<MySQL format>') -> strptime(s, '<strftime format>'); date_format likewise. */
function translateDateFormat(call: Node): void {
  const to = { date_parse: 'strptime', date_format: 'strftime' }[String(call.function_name).toLowerCase()];
  const children = call.children as Node[];
  if (!to || children.length !== 2) return;
  const format = children[1]!;
  const value = format.value as Node | undefined;
  if (format.class !== 'CONSTANT' || !isNode(value) || typeof value.value !== 'string') {
    throw new Error(`${String(call.function_name)}: the format must be a string literal`);
  }
  value.value = mysqlToStrftime(value.value);
  call.function_name = to;
}

interface UnnestJoin {
  alias: string;
  args: Node[];
  columns: string[];
}

/** `base CROSS JOIN UNNEST(..) AS a(c) CROSS JOIN UNNEST(..) ...` -> nested select-list UNNESTs. */
function rewriteUnnestJoins(select: Node, ctx: RewriteContext): void {
  const unnests: UnnestJoin[] = [];
  let from = select.from_table;
  while (isNode(from) && from.type === 'JOIN') {
    const unnest = unnestJoin(from);
    if (!unnest) return;
    unnests.unshift(unnest);
    from = from.left;
  }
  if (unnests.length === 0 || !isNode(from) || from.type !== 'BASE_TABLE') return;
  const base = from;
  const columns = ctx.columnsOf({
    catalog: String(base.catalog_name ?? ''),
    schema: String(base.schema_name ?? ''),
    name: String(base.table_name),
  });
  if (!columns) return;
  // Every name must stay unambiguous once all of them come from one relation.
  const names = new Set(columns.map((c) => c.toLowerCase()));
  for (const u of unnests) {
    for (const c of u.columns) {
      if (names.has(c.toLowerCase())) return;
      names.add(c.toLowerCase());
    }
  }
  const alias = String(base.alias) || String(base.table_name);
  const unnestAliases = new Set(
    unnests.map((u) => u.alias.toLowerCase()).filter((a) => a !== alias.toLowerCase()),
  );
  let relation: Node = base;
  for (const u of unnests) {
    for (const arg of u.args) unqualify(arg, unnestAliases);
    relation = {
      type: 'SUBQUERY',
      alias,
      sample: null,
      query_location: base.query_location,
      column_name_alias: [],
      subquery: {
        node: selectNode(
          [starExpression(), ...u.args.map((arg, i) => functionCall('unnest', [arg], u.columns[i]!))],
          relation,
        ),
        named_param_map: [],
      },
    };
  }
  select.from_table = relation;
  for (const key of ['select_list', 'where_clause', 'group_expressions', 'having', 'qualify', 'modifiers']) {
    unqualify(select[key], unnestAliases);
  }
}

/** The UNNEST of a plain CROSS JOIN (or comma join), with one column name per list. */
function unnestJoin(join: Node): UnnestJoin | undefined {
  const right = join.right;
  if (join.ref_type !== 'CROSS' || join.condition !== null || !isNode(right)) return undefined;
  if (right.type !== 'TABLE_FUNCTION' || right.with_ordinality === 'WITH_ORDINALITY') return undefined;
  const fn = right.function;
  if (!isNode(fn) || String(fn.function_name).toLowerCase() !== 'unnest' || fn.schema !== '')
    return undefined;
  const args = fn.children as Node[];
  const columns = right.column_name_alias as string[];
  if (
    !Array.isArray(args) ||
    args.length === 0 ||
    !Array.isArray(columns) ||
    columns.length !== args.length
  ) {
    return undefined;
  }
  // Named parameters (`recursive := true`) change the meaning; leave those to DuckDB.
  if (args.some((a) => a.alias !== '')) return undefined;
  return { alias: String(right.alias), args, columns };
}

/** `t.images.key` -> `images.key` where `t` named an UNNEST that is now a column of the subquery. */
function unqualify(value: unknown, aliases: Set<string>): void {
  if (aliases.size === 0) return;
  if (Array.isArray(value)) {
    for (const item of value) unqualify(item, aliases);
    return;
  }
  if (!isNode(value)) return;
  if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names) && value.column_names.length > 1) {
    const [first, ...rest] = value.column_names as string[];
    if (aliases.has(first!.toLowerCase())) value.column_names = rest;
    return;
  }
  for (const child of Object.values(value)) unqualify(child, aliases);
}

function selectNode(selectList: Node[], from: Node): Node {
  return {
    type: 'SELECT_NODE',
    modifiers: [],
    cte_map: { map: [] },
    select_list: selectList,
    from_table: from,
    where_clause: null,
    group_expressions: [],
    group_sets: [],
    aggregate_handling: 'STANDARD_HANDLING',
    having: null,
    sample: null,
    qualify: null,
  };
}

function starExpression(): Node {
  return {
    class: 'STAR',
    type: 'STAR',
    alias: '',
    query_location: 0,
    relation_name: '',
    exclude_list: [],
    replace_list: [],
    columns: false,
    expr: null,
    qualified_exclude_list: [],
    rename_list: [],
  };
}

function functionCall(name: string, children: Node[], alias: string): Node {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias,
    query_location: 0,
    function_name: name,
    schema: '',
    children,
    filter: null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct: false,
    is_operator: false,
    export_state: false,
    catalog: '',
  };
}
