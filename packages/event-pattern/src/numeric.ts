// The `numeric` operator. EventBridge documents numeric matching for JSON numbers between -5.0e9 and
// +5.0e9 inclusive (six digits after the decimal point); pattern operands outside that range are refused,
// and event numbers outside it never match numerically (event-ruler cannot compare them).

export const NUMERIC_LIMIT = 5e9;

type Op = '=' | '<' | '<=' | '>' | '>=';
const OPS: ReadonlySet<string> = new Set(['=', '<', '<=', '>', '>=']);

export function inNumericRange(n: number): boolean {
  return n >= -NUMERIC_LIMIT && n <= NUMERIC_LIMIT;
}

/** Checks one numeric operand; the message names the operator it belongs to. */
export function checkNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`Value of ${what} must be numeric, got ${JSON.stringify(value) ?? String(value)}`);
  }
  if (!inNumericRange(value)) {
    throw new Error(`Value of ${what} must be between -5.0E9 and 5.0E9 inclusive, got ${value}`);
  }
  return value;
}

/** Parses `["op", n]` or `[">"|">=", lo, "<"|"<=", hi]`; throws an Error saying what is wrong. */
export function parseNumeric(spec: unknown): (n: number) => boolean {
  if (!Array.isArray(spec)) throw new Error('Value of "numeric" must be an array');
  const [op, value, ...rest] = spec as unknown[];
  if (typeof op !== 'string') {
    throw new Error(
      `"numeric" must start with an operator (=, <, <=, >, >=), got ${JSON.stringify(op) ?? 'nothing'}`,
    );
  }
  if (!OPS.has(op)) throw new Error(`Unrecognized numeric operator "${op}"`);
  const first = checkNumber(value, `"${op}"`);
  if (op === '=' || op === '<' || op === '<=') {
    if (rest.length > 0) throw new Error(`Too many elements in numeric expression: "${op}" takes one number`);
    return single(op, first);
  }
  if (rest.length === 0) return single(op as Op, first);
  const [topOp, topValue, ...extra] = rest;
  if (typeof topOp !== 'string') {
    throw new Error(`Bad value in numeric range: expected "<" or "<=", got ${JSON.stringify(topOp)}`);
  }
  if (topOp !== '<' && topOp !== '<=') {
    throw new Error(`Bad numeric range operator "${topOp}": the upper bound takes "<" or "<="`);
  }
  const top = checkNumber(topValue, `"${topOp}"`);
  if (extra.length > 0) throw new Error('Too many terms in numeric range expression');
  if (!(first < top)) throw new Error(`Bottom of numeric range (${first}) must be less than top (${top})`);
  const openBottom = op === '>';
  const openTop = topOp === '<';
  return (n) => (openBottom ? n > first : n >= first) && (openTop ? n < top : n <= top);
}

function single(op: Op, x: number): (n: number) => boolean {
  switch (op) {
    case '=':
      return (n) => n === x;
    case '<':
      return (n) => n < x;
    case '<=':
      return (n) => n <= x;
    case '>':
      return (n) => n > x;
    case '>=':
      return (n) => n >= x;
  }
}
