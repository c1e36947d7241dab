// Responding: MESSAGE_ANALYSED in, SEND_TWEET out (the chat bot for text, annotated photos for faces).
import { SOURCES } from '@murmur/events';
import { defineService } from '@murmur/ports';
import { type RespondOptions, respondHandler } from './respond.js';

export const RESPONDING_RULE_NAME = 'responding-message-analysed';

export function respondingService(options: RespondOptions) {
  return defineService({
    name: 'responding',
    source: SOURCES.responding,
    description: 'Answers what is addressed to the bot: the chat bot for text, annotated photos for faces.',
    publishes: ['SEND_TWEET'],
    archives: [],
    subscriptions: [
      {
        ruleName: RESPONDING_RULE_NAME,
        description: 'MESSAGE_ANALYSED -> at most one reply',
        // Replays re-analyse; the reply policy answers each message once, replay or not.
        eventPattern: { source: [SOURCES.analysis], 'detail-type': ['MESSAGE_ANALYSED'] },
        targets: [
          {
            kind: 'handler',
            handler: 'respond',
            retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3_600 },
          },
        ],
      },
    ],
    handlers: { respond: respondHandler(options) },
  });
}
