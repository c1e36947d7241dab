// DM keys: `direct_message_events` (TWITTER_DM_RECEIVED, and MESSAGE_RECEIVED for DMs to the
// account), typing and read indicators. All carry the delivery's `users` map: a DM event names
// its sender only by id, and the reference design lost the map.
import { type DetailType, SCHEMA_VERSION } from '@murmur/events';
import { contentHash, derivedKey, dmKey } from './idempotency-keys.js';
import { mediaFromV1 } from './media.js';
import { type Candidate, type DeliveryScope, isOwnAccount } from './types.js';
import { isObject, millisToIso, objectAt, stringAt, xIdAt } from './x-values.js';

/** The `users` map (and `apps`) as the raw DM events carry them: `{}` stands in when X sent no map. */
function dmContext(scope: DeliveryScope, where: string): Record<string, unknown> {
  const { users, apps } = scope.envelope;
  if (!isObject(users))
    scope.note(`${where}: the delivery has no users map${users === undefined ? '' : ' object'}`);
  return { users: isObject(users) ? users : {}, ...(isObject(apps) ? { apps } : {}) };
}

function rawDetail(
  scope: DeliveryScope,
  payloadKey: string,
  element: unknown,
  where: string,
  eventId?: string,
) {
  return {
    schemaVersion: SCHEMA_VERSION,
    correlationId: scope.correlationId,
    forUserId: scope.forUserId,
    ...(eventId ? { eventId } : {}),
    payloadKey,
    payload: element,
    ...dmContext(scope, where),
  };
}

export function translateDirectMessage(element: unknown, index: number, scope: DeliveryScope): Candidate[] {
  const payloadKey = 'direct_message_events';
  const dmId = xIdAt(element, 'id');
  const where = `${payloadKey}[${index}]${dmId ? ` (DM ${dmId})` : ''}`;
  const idempotencyKey = dmId
    ? dmKey(scope.forUserId, dmId)
    : `dm:${scope.forUserId}:h:${contentHash(element)}`;
  const raw: Candidate = {
    detailType: 'TWITTER_DM_RECEIVED',
    idempotencyKey,
    detail: rawDetail(scope, payloadKey, element, where, dmId),
  };
  const message = messageFromDirectMessage(element, scope, (why) => scope.note(`${where}: ${why}`));
  if (typeof message === 'string') {
    scope.note(`${where}: no MESSAGE_RECEIVED: ${message}`);
    return [raw];
  }
  return [raw, { detailType: 'MESSAGE_RECEIVED', idempotencyKey, detail: message }];
}

/** X's one-to-one conversation id, `<lower id>-<higher id>`, compared as numbers (ids differ in length). */
export function conversationIdOf(a: string, b: string): string {
  return BigInt(a) <= BigInt(b) ? `${a}-${b}` : `${b}-${a}`;
}

/** MESSAGE_RECEIVED for a DM to the account, or the reason there is none (its own DMs out never). */
function messageFromDirectMessage(
  event: unknown,
  scope: DeliveryScope,
  note: (why: string) => void,
): Record<string, unknown> | string {
  if (!isObject(event)) return 'the DM event is not an object';
  if (event.type !== 'message_create') return `DM event type ${JSON.stringify(event.type)} is not a message`;
  if (!scope.accountIds.has(scope.forUserId))
    return `for_user_id ${scope.forUserId} is not a configured account`;
  const dmId = xIdAt(event, 'id');
  if (!dmId) return 'the DM event has no id';
  const create = objectAt(event, 'message_create');
  const senderId = xIdAt(create, 'sender_id');
  const recipientId = xIdAt(objectAt(create, 'target'), 'recipient_id');
  if (!senderId || !recipientId) return 'the DM has no sender_id or recipient_id';
  if (isOwnAccount(scope, senderId)) return `the account's own DM (sender ${senderId})`;
  if (recipientId !== scope.forUserId) return `the DM is to ${recipientId}, not to the account`;
  const sender = objectAt(scope.envelope.users, senderId);
  const screenName = stringAt(sender, 'screen_name');
  if (!screenName) return `the users map does not name the sender ${senderId}`;
  const createdAt = millisToIso(event.created_timestamp);
  if (!createdAt) return 'the DM has no readable created_timestamp';
  const data = objectAt(create, 'message_data');
  const text = stringAt(data, 'text');
  if (text === undefined) return 'the DM has no message_data.text';
  const attached = objectAt(objectAt(data, 'attachment'), 'media');
  const media = attached ? mediaFromV1(attached, note) : undefined;
  return {
    schemaVersion: SCHEMA_VERSION,
    correlationId: scope.correlationId,
    messageId: dmId,
    accountId: scope.forUserId,
    kind: 'directMessage',
    ingress: scope.ingress,
    dmId,
    conversationId: conversationIdOf(senderId, recipientId),
    text,
    author: { id: senderId, screenName, name: stringAt(sender, 'name') ?? screenName },
    createdAt,
    media: media ? [media] : [],
  };
}

/** Typing and read indicators: no id of their own, so sender, recipient and time identify them. */
function indicator(detailType: DetailType, payloadKey: string, kind: string, withLastRead: boolean) {
  return (element: unknown, index: number, scope: DeliveryScope): Candidate[] => {
    const parts = [
      xIdAt(element, 'sender_id'),
      xIdAt(objectAt(element, 'target'), 'recipient_id'),
      ...(withLastRead ? [xIdAt(element, 'last_read_event_id')] : []),
      stringAt(element, 'created_timestamp'),
    ];
    return [
      {
        detailType,
        idempotencyKey: derivedKey(kind, scope.forUserId, parts, element),
        detail: rawDetail(scope, payloadKey, element, `${payloadKey}[${index}]`),
      },
    ];
  };
}

export const translateTyping = indicator(
  'TWITTER_DM_TYPING',
  'direct_message_indicate_typing_events',
  'typing',
  false,
);
export const translateMarkRead = indicator(
  'TWITTER_DM_MARKED_READ',
  'direct_message_mark_read_events',
  'read',
  true,
);
