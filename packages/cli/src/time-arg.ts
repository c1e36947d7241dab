import { CliError } from './io.js';

const RELATIVE = /^-(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `now`, an ISO-8601 time, or a time relative to now such as `-15m`, `-2h`, `-7d`. */
export function parseTimeArg(value: string, what: string, now = Date.now()): Date {
  if (value === 'now') return new Date(now);
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new CliError(`${what} "${value}" is not a time: use now, an ISO time, or -15m / -2h / -7d`);
  }
  return new Date(ms);
}
