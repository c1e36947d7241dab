// Ingress: X webhooks in (and, later, polling), verified, deduplicated, on the bus.
import { catalog, SOURCES } from '@murmur/events';
import { defineService } from '@murmur/ports';
import type { IngressConfig } from './config.js';
import { type PollMentionsOptions, pollMentions } from './polling/poll-mentions.js';
import { crcHandler, deliveryHandler } from './webhook/handlers.js';

/** X's Account Activity payloads are small; this bounds what an unauthenticated POST can make us read. */
export const WEBHOOK_MAX_BODY_BYTES = 512 * 1024;
export const WEBHOOK_PATH = '/twitter';

/**
 * `config` is read when a request comes in, not when the service is declared: commands that only
 * need the declaration (rules, archives) then need no X credentials. `murmur start` resolves it first.
 */
export interface IngressOptions {
  /** Poll mentions (for accounts without Account Activity access). */
  poll?: PollMentionsOptions & { everySeconds: number };
}

export function ingressService(config: () => IngressConfig, options: IngressOptions = {}) {
  return defineService({
    name: 'ingress',
    source: SOURCES.ingress,
    description: 'X Account Activity webhooks in: verified, translated to events, deduplicated, published.',
    publishes: catalog.filter((e) => e.source === SOURCES.ingress).map((e) => e.detailType),
    archives: [],
    subscriptions: [],
    handlers: {},
    routes: [
      { method: 'GET', path: WEBHOOK_PATH, handler: 'crc', maxBodyBytes: 0 },
      {
        method: 'POST',
        path: WEBHOOK_PATH,
        handler: 'delivery',
        maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
        contentTypes: ['application/json'],
      },
    ],
    routeHandlers: { crc: crcHandler(config), delivery: deliveryHandler(config) },
    schedules: options.poll
      ? [
          {
            name: 'poll-mentions',
            description: 'GET /2/users/:id/mentions since the checkpoint, as MESSAGE_RECEIVED',
            everySeconds: options.poll.everySeconds,
            handler: 'pollMentions',
          },
        ]
      : [],
    scheduleHandlers: options.poll ? { pollMentions: pollMentions(options.poll) } : {},
  });
}
