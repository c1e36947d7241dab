// Test support: fixtures, a translation context, and the catalog check every test applies.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { type DetailType, validateDetail } from '@murmur/events';
import type { TranslatedEvent } from '../../src/activity/index.js';

export const BOT = '1590000000000000001';
export const BOT2 = '1590000000000000002';
export const ADA = '2244994945';
export const GRACE = '783214';

export const FIXTURE_DIR = join(import.meta.dirname, 'fixtures');

/** A fresh parse each time, so a test that edits a fixture cannot leak into another. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as T;
}

/** Every Account Activity fixture (the polled one is X API v2, not a delivery). */
export const DELIVERY_FIXTURES = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json') && !f.startsWith('polled-'))
  .sort();

export const ctx = (accountIds: readonly string[] = [BOT, BOT2], correlationId = 'whd-test-0001') => ({
  correlationId,
  accountIds: new Set(accountIds),
  ingress: 'webhook' as const,
});

/** The catalog accepts every event produced, under the source and detail-type it was published with. */
export function expectAllValid(events: readonly TranslatedEvent[]): void {
  for (const { entry } of events) {
    const result = validateDetail(entry.source, entry.detailType, entry.detail);
    expect(result.ok ? 'valid' : `${entry.detailType}: ${result.error}`).toBe('valid');
  }
}

export const typesOf = (events: readonly TranslatedEvent[]): DetailType[] =>
  events.map((e) => e.entry.detailType);

/** The detail of the only event of this type, as a plain record for assertions. */
export function only(events: readonly TranslatedEvent[], type: DetailType): Record<string, unknown> {
  const matching = events.filter((e) => e.entry.detailType === type);
  expect(matching).toHaveLength(1);
  return matching[0]!.entry.detail as unknown as Record<string, unknown>;
}
