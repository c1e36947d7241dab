// Likes, tweet deletions and the `user_event` revoke: raw events only, none is a message.
import { SCHEMA_VERSION } from '@murmur/events';
import { contentHash, deleteKey, derivedKey, favoriteKey } from './idempotency-keys.js';
import type { Candidate, DeliveryScope } from './types.js';
import { objectAt, stringAt, xIdAt } from './x-values.js';

function base(scope: DeliveryScope, payloadKey: string, payload: unknown, eventId?: string) {
  return {
    schemaVersion: SCHEMA_VERSION,
    correlationId: scope.correlationId,
    forUserId: scope.forUserId,
    ...(eventId ? { eventId } : {}),
    payloadKey,
    payload,
  };
}

/** `favorite_events`: the like's own `id` (a hex string, not a snowflake) identifies it. */
export function translateFavorite(element: unknown, _index: number, scope: DeliveryScope): Candidate[] {
  const id = stringAt(element, 'id') || undefined;
  return [
    {
      detailType: 'TWITTER_FAVOURITED',
      idempotencyKey: id
        ? favoriteKey(scope.forUserId, id)
        : `favorite:${scope.forUserId}:h:${contentHash(element)}`,
      detail: base(scope, 'favorite_events', element, id),
    },
  ];
}

/** `tweet_delete_events`: a tweet is deleted once, so its id identifies the deletion. */
export function translateDelete(element: unknown, _index: number, scope: DeliveryScope): Candidate[] {
  const tweetId = xIdAt(objectAt(element, 'status'), 'id');
  return [
    {
      detailType: 'TWITTER_DELETED',
      idempotencyKey: tweetId
        ? deleteKey(scope.forUserId, tweetId)
        : `delete:${scope.forUserId}:h:${contentHash(element)}`,
      detail: base(scope, 'tweet_delete_events', element, tweetId),
    },
  ];
}

/** `user_event`: an object, not an array (the reference design crashed on it). */
export function translateUserEvent(value: unknown, scope: DeliveryScope): Candidate[] {
  const revoke = objectAt(value, 'revoke');
  const parts = [
    xIdAt(objectAt(revoke, 'source'), 'user_id'),
    stringAt(objectAt(revoke, 'target'), 'app_id'),
    stringAt(revoke, 'date_time'),
  ];
  return [
    {
      detailType: 'TWITTER_PERMISSION_REVOKED',
      idempotencyKey: derivedKey('revoke', scope.forUserId, parts, value),
      detail: base(scope, 'user_event', value),
    },
  ];
}
