// Readers for X's JSON: X objects arrive as `unknown` and any field may be missing or of the
// wrong type, so every read goes through one of these instead of a cast that could lie.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return isObject(child) ? child : undefined;
}

export function stringAt(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'string' ? child : undefined;
}

export function arrayAt(value: unknown, key: string): unknown[] | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return Array.isArray(child) ? child : undefined;
}

const X_ID = /^[0-9]{1,20}$/;

/** An X id as a decimal string. Numeric ids are refused: past 2^53 they have already lost digits. */
export function asXId(value: unknown): string | undefined {
  return typeof value === 'string' && X_ID.test(value) ? value : undefined;
}

export function xIdAt(value: unknown, key: string): string | undefined {
  return isObject(value) ? asXId(value[key]) : undefined;
}

/** A positive integer (media width/height), else undefined. */
export function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** Epoch milliseconds, as X writes them (`"1773480412000"` or a number), to UTC ISO-8601. */
export function millisToIso(value: unknown): string | undefined {
  const ms = typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const V1_DATE =
  /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/**
 * v1.1 `created_at` ("Sat Mar 14 09:26:52 +0000 2026") to UTC ISO-8601. Parsed by hand:
 * `Date.parse` of this legacy format is implementation-defined.
 */
export function v1DateToIso(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = V1_DATE.exec(value);
  if (!m) return undefined;
  const [, mon, day, hh, mm, ss, sign, offH, offM, year] = m;
  const month = MONTHS.indexOf(mon!);
  if (month < 0) return undefined;
  const offset = (sign === '-' ? -1 : 1) * (Number(offH) * 60 + Number(offM));
  const utc =
    Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)) - offset * 60_000;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** An ISO-8601 timestamp (v2 `created_at`), normalised to `toISOString()` form. */
export function isoToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `true`/`"true"` and `false`/`"false"`: X's docs show `user_has_blocked` both ways. */
export function looseBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** An http(s) URL, as MESSAGE_RECEIVED's media `url` requires. */
export function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A user object with `id` as a string. Account Activity writes follow/block/mute users with a
 * string `id`; a full v1.1 user object has a lossy numeric `id` and the exact `id_str`. Both
 * are the same user: keep the exact id.
 */
export function withStringId(user: unknown): unknown {
  if (user === null || typeof user !== 'object' || Array.isArray(user)) return user;
  const record = user as Record<string, unknown>;
  if (typeof record.id === 'string' || typeof record.id_str !== 'string') return user;
  return { ...record, id: record.id_str };
}
