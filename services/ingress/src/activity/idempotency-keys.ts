// Idempotency keys: the event's own identity, so an X redelivery (up to 3 retries, and
// duplicates anyway) maps to the key already stored and publishes nothing new.
//
// Scheme: `<kind>:<forUserId>:<X's id or identifying parts>`. The account is part of the key
// because one activity (a DM between two subscribed accounts, a tweet mentioning both) is
// delivered once per account and is a distinct event for each. Keys are unique per detail-type:
// a tweet's TWITTER_TWEETED and MESSAGE_RECEIVED share `tweet:<forUserId>:<id>` on purpose, so the
// polling ingress (which only emits MESSAGE_RECEIVED) gets the same key as the webhook; the
// store must key on (detail-type, key), as the webhook handler does.
import { createHash } from 'node:crypto';

export const tweetKey = (accountId: string, tweetId: string): string => `tweet:${accountId}:${tweetId}`;
export const dmKey = (accountId: string, dmId: string): string => `dm:${accountId}:${dmId}`;
export const favoriteKey = (accountId: string, favoriteId: string): string =>
  `favorite:${accountId}:${favoriteId}`;
export const deleteKey = (accountId: string, tweetId: string): string => `delete:${accountId}:${tweetId}`;

/** JSON with object keys sorted, so equal values hash equally whatever order X wrote the keys in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short content hash: the identity of something X gave no id (or no usable id) for. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

/**
 * For kinds with no id of their own (follows, blocks, typing, revokes...): the identifying parts,
 * e.g. source, target and X's timestamp. If any part is missing, the hash of the whole element
 * stands in: still stable across redeliveries (X resends the same bytes), never a shared key.
 */
export function derivedKey(
  kind: string,
  accountId: string,
  parts: readonly (string | undefined)[],
  element: unknown,
): string {
  if (parts.every((p): p is string => p !== undefined && p !== '')) {
    return `${kind}:${accountId}:${parts.join(':')}`;
  }
  return `${kind}:${accountId}:h:${contentHash(element)}`;
}

/** For an element X gave no id for and whose shape is not known: the payload key plus its hash. */
export const unknownKey = (accountId: string | undefined, payloadKey: string, element: unknown): string =>
  `unknown:${accountId ?? '-'}:${payloadKey}:${contentHash(element)}`;
