// Option parsing the `--aws` commands share; no AWS SDK import, so local commands stay quick to load.
import { CliError } from '../io.js';

/** `--max`: a whole number from 1. */
export function parseMax(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || String(n) !== value.trim()) {
    throw new CliError(`--max ${value} is not a whole number of messages (1 or more)`);
  }
  return n;
}
