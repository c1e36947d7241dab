import type { DetailType } from '@murmur/events';
import type { PublishEntry } from '@murmur/ports';

export interface TranslatedEvent {
  entry: PublishEntry;
  /**
   * The event's own id, for deduplication: stable across X redeliveries, e.g.
   * `tweet:<forUserId>:<tweet id>`, `dm:<forUserId>:<dm event id>`, `favorite:<forUserId>:<favorite id>`;
   * for kinds with no id of their own, derived from type + source/target ids + created timestamp.
   * Unique per detail-type (see idempotency-keys.ts).
   */
  idempotencyKey: string;
}

export interface ActivityTranslation {
  forUserId: string;
  events: TranslatedEvent[];
  /** Things skipped with the reason (e.g. a tweet object missing id_str), for logging; never a crash. */
  notes: string[];
}

export interface ActivityContext {
  /** Id of this delivery; every event it yields carries it. */
  correlationId: string;
  /** Every account this Murmur acts for: their own tweets and DMs are never messages to consider. */
  accountIds: ReadonlySet<string>;
  ingress: 'webhook';
}

/** The body cannot be an Account Activity delivery at all: the webhook answers 400. */
export class InvalidActivityError extends Error {
  override readonly name = 'InvalidActivityError';
}

/** An event before it is checked against the catalog. */
export interface Candidate {
  detailType: DetailType;
  detail: Record<string, unknown>;
  idempotencyKey: string;
}

/** What each payload key's translator sees: the delivery's context, and a place for notes. */
export interface DeliveryScope {
  forUserId: string;
  correlationId: string;
  accountIds: ReadonlySet<string>;
  ingress: 'webhook';
  /** The envelope keys other than `for_user_id`, as sent. */
  envelope: {
    users?: unknown;
    apps?: unknown;
    userHasBlocked?: boolean;
    isBlockedBy?: boolean;
  };
  note(message: string): void;
}

/** The account itself, or another account this Murmur runs: never a message to consider. */
export function isOwnAccount(
  scope: { forUserId: string; accountIds: ReadonlySet<string> },
  userId: string,
): boolean {
  return userId === scope.forUserId || scope.accountIds.has(userId);
}
