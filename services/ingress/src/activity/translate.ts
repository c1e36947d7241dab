// The anti-corruption layer's entry point: one Account Activity delivery in, the events it
// means out. Pure (no I/O), total (any JSON gives events and notes, or InvalidActivityError
// when the body cannot be a delivery at all), and every event it returns fits the catalog.
import { SOURCES, validateDetail } from '@murmur/events';
import type { PublishEntry } from '@murmur/ports';
import { translateDelete, translateFavorite, translateUserEvent } from './account-events.js';
import { translateDirectMessage, translateMarkRead, translateTyping } from './direct-messages.js';
import { translateTweet } from './tweets.js';
import {
  type ActivityContext,
  type ActivityTranslation,
  type Candidate,
  type DeliveryScope,
  InvalidActivityError,
  type TranslatedEvent,
} from './types.js';
import { translateUnknownKey, unknownCandidate } from './unknown.js';
import { translateUserAction, USER_ACTION_KEYS } from './user-actions.js';
import { asXId, isObject, looseBoolean, objectAt, xIdAt } from './x-values.js';

type ElementTranslator = (element: unknown, index: number, scope: DeliveryScope) => Candidate[];

/** Keys whose value is an array of events. */
const ARRAY_KEYS: Record<string, ElementTranslator> = {
  tweet_create_events: translateTweet,
  favorite_events: translateFavorite,
  direct_message_events: translateDirectMessage,
  direct_message_indicate_typing_events: translateTyping,
  direct_message_mark_read_events: translateMarkRead,
  tweet_delete_events: translateDelete,
  ...Object.fromEntries(
    Object.entries(USER_ACTION_KEYS).map(([key, family]) => [key, translateUserAction(key, family)]),
  ),
};

/**
 * Envelope keys: context for the events, not events. `users`/`apps` name DM participants;
 * `user_has_blocked`/`is_blocked_by` qualify mentions. X's data-object table also lists
 * `source`/`target`, which belong inside follow/block/mute events; at the top level nothing
 * carries them, so they are noted rather than turned into events.
 */
const ENVELOPE_KEYS = new Set([
  'for_user_id',
  'users',
  'apps',
  'user_has_blocked',
  'is_blocked_by',
  'source',
  'target',
]);

/**
 * `for_user_id`, which says which account the delivery belongs to. X's own `user_event` example
 * has none; the revoking user is that account, so a revoke is not refused for lacking it.
 */
function forUserIdOf(body: Record<string, unknown>, notes: string[]): string {
  const raw = body.for_user_id;
  const id = asXId(raw);
  if (id) return id;
  if (raw === undefined) {
    const revoker = xIdAt(objectAt(objectAt(body.user_event, 'revoke'), 'source'), 'user_id');
    if (revoker) {
      notes.push(`no for_user_id: took the revoking user ${revoker} from user_event.revoke.source`);
      return revoker;
    }
    throw new InvalidActivityError('for_user_id is missing');
  }
  throw new InvalidActivityError('for_user_id is not an X id (a string of digits)');
}

function translateKey(key: string, value: unknown, scope: DeliveryScope): Candidate[] {
  const elementTranslator = ARRAY_KEYS[key];
  if (elementTranslator) {
    if (Array.isArray(value))
      return value.flatMap((element, index) => elementTranslator(element, index, scope));
    scope.note(`${key} is not an array: kept as TWITTER_UNKNOWN`);
    return [unknownCandidate(key, value, scope)];
  }
  if (key === 'user_event') {
    if (isObject(value)) return translateUserEvent(value, scope);
    scope.note('user_event is not an object: kept as TWITTER_UNKNOWN');
    return [unknownCandidate(key, value, scope)];
  }
  scope.note(`unknown key ${key}: kept as TWITTER_UNKNOWN`);
  return translateUnknownKey(key, value, scope);
}

/**
 * Checks a candidate against the catalog. A raw event whose element does not fit its schema
 * (X changed a type, an element is not an object) is kept as TWITTER_UNKNOWN; a message that
 * does not fit is skipped, with the reason in the notes.
 */
function checked(candidate: Candidate, scope: DeliveryScope): TranslatedEvent | undefined {
  const result = validateDetail(SOURCES.ingress, candidate.detailType, candidate.detail);
  const entry = (c: Candidate): TranslatedEvent => ({
    entry: { source: SOURCES.ingress, detailType: c.detailType, detail: c.detail } as PublishEntry,
    idempotencyKey: c.idempotencyKey,
  });
  if (result.ok) return entry(candidate);
  const payloadKey = String(candidate.detail.payloadKey ?? '');
  if (
    candidate.detailType === 'MESSAGE_RECEIVED' ||
    candidate.detailType === 'TWITTER_UNKNOWN' ||
    !payloadKey
  ) {
    scope.note(`${candidate.detailType} ${candidate.idempotencyKey} skipped: ${result.error}`);
    return undefined;
  }
  scope.note(
    `${payloadKey} element does not fit ${candidate.detailType} (${result.error}): kept as TWITTER_UNKNOWN`,
  );
  return checked(unknownCandidate(payloadKey, candidate.detail.payload, scope), scope);
}

export function translateActivity(body: unknown, ctx: ActivityContext): ActivityTranslation {
  if (!isObject(body)) {
    throw new InvalidActivityError(
      `the body is ${Array.isArray(body) ? 'an array' : typeof body}, not an object`,
    );
  }
  const notes: string[] = [];
  const forUserId = forUserIdOf(body, notes);
  const userHasBlocked = looseBoolean(body.user_has_blocked);
  const isBlockedBy = looseBoolean(body.is_blocked_by);
  const scope: DeliveryScope = {
    forUserId,
    correlationId: ctx.correlationId,
    accountIds: ctx.accountIds,
    ingress: ctx.ingress,
    envelope: {
      users: body.users,
      apps: body.apps,
      ...(userHasBlocked !== undefined ? { userHasBlocked } : {}),
      ...(isBlockedBy !== undefined ? { isBlockedBy } : {}),
    },
    note: (message) => notes.push(message),
  };
  for (const key of ['user_has_blocked', 'is_blocked_by'] as const) {
    if (body[key] !== undefined && looseBoolean(body[key]) === undefined) {
      notes.push(`${key} ${JSON.stringify(body[key])} is not a boolean: left out`);
    }
  }
  for (const key of ['source', 'target'] as const) {
    if (body[key] !== undefined)
      notes.push(`top-level ${key} is envelope context with no event to carry it: not kept`);
  }

  const events: TranslatedEvent[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (ENVELOPE_KEYS.has(key)) continue;
    for (const candidate of translateKey(key, value, scope)) {
      const event = checked(candidate, scope);
      if (event) events.push(event);
    }
  }
  if (events.length === 0) notes.push('the delivery holds no events');
  return { forUserId, events, notes };
}
