// A payload key Murmur does not know, or a known key in a shape it does not expect, is kept as
// TWITTER_UNKNOWN: never dropped (it may matter once Murmur learns it), never a crash.
import { SCHEMA_VERSION } from '@murmur/events';
import { unknownKey } from './idempotency-keys.js';
import type { Candidate, DeliveryScope } from './types.js';

export function unknownCandidate(payloadKey: string, payload: unknown, scope: DeliveryScope): Candidate {
  return {
    detailType: 'TWITTER_UNKNOWN',
    idempotencyKey: unknownKey(scope.forUserId, payloadKey, payload),
    detail: {
      schemaVersion: SCHEMA_VERSION,
      correlationId: scope.correlationId,
      forUserId: scope.forUserId,
      payloadKey,
      payload,
    },
  };
}

/** One event per array element (as for known keys), or one for the whole value when it is not an array. */
export function translateUnknownKey(payloadKey: string, value: unknown, scope: DeliveryScope): Candidate[] {
  if (!Array.isArray(value)) return [unknownCandidate(payloadKey, value, scope)];
  if (value.length === 0) scope.note(`unknown key ${payloadKey}: an empty array, nothing to keep`);
  return value.map((element) => unknownCandidate(payloadKey, element, scope));
}
