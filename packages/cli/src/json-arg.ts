import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './io.js';

/** A JSON argument given inline, or as `@path/to/file.json`. */
export function readJsonArg(value: string, what: string, cwd: string): unknown {
  const text = readTextArg(value, what, cwd);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

export function readJsonObjectArg(value: string, what: string, cwd: string): Record<string, unknown> {
  const parsed = readJsonArg(value, what, cwd);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`${what} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** The argument itself, or the text of the file it names as `@path`. */
export function readTextArg(value: string, what: string, cwd: string): string {
  if (!value.startsWith('@')) return value;
  try {
    return readFileSync(resolve(cwd, value.slice(1)), 'utf8');
  } catch (error) {
    throw new CliError(`${what}: cannot read ${value.slice(1)}: ${(error as Error).message}`);
  }
}
