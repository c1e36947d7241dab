import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MatchCase {
  name: string;
  event: Record<string, unknown>;
  matches: boolean;
}

export interface MatchGroup {
  name: string;
  pattern: Record<string, unknown>;
  cases: MatchCase[];
}

export interface InvalidCase {
  name: string;
  pattern: unknown;
  /** Fragments the reason must contain: the problem, and where it is. */
  reason: string[];
}

const dir = join(import.meta.dirname, 'fixtures');

export function readFixture<T>(file: string): T {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}

/** Every matching fixture file: one per operator or topic, each a list of patterns with their cases. */
export function matchingFixtures(): [file: string, groups: MatchGroup[]][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'invalid-patterns.json')
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), readFixture<MatchGroup[]>(f)]);
}
