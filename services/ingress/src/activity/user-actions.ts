// Follows, blocks and mutes, and their undoing. X documents `unfollow_events` etc., but delivers
// an unfollow inside `follow_events` with `type: "unfollow"` (the reference design never saw
// one); both spellings are read, and the element's `type` decides the event.
import { type DetailType, SCHEMA_VERSION } from '@murmur/events';
import { derivedKey } from './idempotency-keys.js';
import type { Candidate, DeliveryScope } from './types.js';
import { isObject, objectAt, stringAt, withStringId, xIdAt } from './x-values.js';

interface Action {
  type: string;
  detailType: DetailType;
}

interface Family {
  /** The action when `type` is absent: what the key itself says. */
  implied: Action;
  /** Actions the key may carry, by `type`. */
  byType: Record<string, Action>;
}

const FOLLOW: Action = { type: 'follow', detailType: 'TWITTER_FOLLOWED' };
const UNFOLLOW: Action = { type: 'unfollow', detailType: 'TWITTER_UNFOLLOWED' };
const BLOCK: Action = { type: 'block', detailType: 'TWITTER_BLOCKED' };
const UNBLOCK: Action = { type: 'unblock', detailType: 'TWITTER_UNBLOCKED' };
const MUTE: Action = { type: 'mute', detailType: 'TWITTER_MUTED' };
const UNMUTE: Action = { type: 'unmute', detailType: 'TWITTER_UNMUTED' };

export const USER_ACTION_KEYS: Record<string, Family> = {
  follow_events: { implied: FOLLOW, byType: { follow: FOLLOW, unfollow: UNFOLLOW } },
  unfollow_events: { implied: UNFOLLOW, byType: { unfollow: UNFOLLOW } },
  block_events: { implied: BLOCK, byType: { block: BLOCK, unblock: UNBLOCK } },
  unblock_events: { implied: UNBLOCK, byType: { unblock: UNBLOCK } },
  mute_events: { implied: MUTE, byType: { mute: MUTE, unmute: UNMUTE } },
  unmute_events: { implied: UNMUTE, byType: { unmute: UNMUTE } },
};

/**
 * One element of a follow/block/mute key. A `type` the key does not carry (say `follow_request`)
 * is still routed by the implied action: its schema refuses it, and translate.ts keeps it as
 * TWITTER_UNKNOWN instead of guessing.
 */
export function translateUserAction(payloadKey: string, family: Family) {
  return (element: unknown, _index: number, scope: DeliveryScope): Candidate[] => {
    const type = stringAt(element, 'type');
    const normalised = isObject(element)
      ? {
          ...element,
          ...('source' in element ? { source: withStringId(element.source) } : {}),
          ...('target' in element ? { target: withStringId(element.target) } : {}),
        }
      : element;
    const action = (type !== undefined ? family.byType[type] : undefined) ?? family.implied;
    const parts = [
      xIdAt(objectAt(normalised, 'source'), 'id'),
      xIdAt(objectAt(normalised, 'target'), 'id'),
      stringAt(element, 'created_timestamp'),
    ];
    return [
      {
        detailType: action.detailType,
        idempotencyKey: derivedKey(action.type, scope.forUserId, parts, element),
        detail: {
          schemaVersion: SCHEMA_VERSION,
          correlationId: scope.correlationId,
          forUserId: scope.forUserId,
          payloadKey,
          payload: normalised,
        },
      },
    ];
  };
}
