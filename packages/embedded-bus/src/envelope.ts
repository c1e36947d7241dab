import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@murmur/events';

export interface EnvelopeContext {
  account: string;
  region: string;
}

/** EventBridge writes `time` with second precision and a `Z`. */
export function eventTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function buildEnvelope(
  entry: {
    source: string;
    detailType: string;
    detail: Record<string, unknown>;
    resources: string[];
    time: Date;
  },
  ctx: EnvelopeContext,
): EventEnvelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.detailType,
    source: entry.source,
    account: ctx.account,
    time: eventTime(entry.time),
    region: ctx.region,
    resources: entry.resources,
    detail: entry.detail,
  };
}
