import type { BusPort, IdempotencyOptions, IdempotencyPort } from '@murmur/ports';
import type { TranslatedEvent } from './activity/index.js';

/** X retries for up to 5 minutes; a day keeps late duplicates (and a poll after a webhook) out too. */
export const INGRESS_IDEMPOTENCY: IdempotencyOptions = { ttlSeconds: 24 * 3600, inProgressSeconds: 60 };

/**
 * Publishes the events not seen before, by detail-type and X id: claim, publish, complete. If
 * publishing fails the claims are released (so a retry can succeed) and the error is rethrown.
 * The webhook and the poller share the keys, so a tweet seen by both is published once.
 */
export async function publishOnce(
  events: readonly TranslatedEvent[],
  ports: { bus: BusPort; idempotency: IdempotencyPort },
): Promise<{ published: number; duplicates: number }> {
  if (events.length === 0) return { published: 0, duplicates: 0 };
  // One key per event kind and X id: a raw event and the message it yields never collide.
  const keys = events.map((e) => `${e.entry.detailType}:${e.idempotencyKey}`);
  const statuses = await ports.idempotency.begin(keys, INGRESS_IDEMPOTENCY);
  const fresh = events.filter((_, i) => statuses[i] === 'new');
  const freshKeys = keys.filter((_, i) => statuses[i] === 'new');
  if (fresh.length > 0) {
    try {
      await ports.bus.publish(fresh.map((e) => e.entry));
    } catch (error) {
      await ports.idempotency.release(freshKeys);
      throw error;
    }
    await ports.idempotency.complete(freshKeys, INGRESS_IDEMPOTENCY);
  }
  return { published: fresh.length, duplicates: keys.length - fresh.length };
}
