// Alerting: MESSAGE_ANALYSED that meets a condition -> ALERT_RAISED -> the `alerts` topic.
// Conditions are rules (event patterns), so both runtimes decide alike; the alert is an event,
// so it is archived and queryable; people are told by the topic, with one readable message.
import { SOURCES } from '@murmur/events';
import { defineService, type RetryPolicy, type SubscriptionDeclaration } from '@murmur/ports';
import { type AlertCondition, alertConditions } from './conditions.js';
import { ALERTS_TOPIC, type AlertingConfig, DEFAULT_ALERTING_CONFIG } from './config.js';
import { ALERT_MESSAGE } from './message.js';
import { raiseAlertHandler } from './raise-alert.js';

export const ALERT_NOTIFY_RULE = 'alerting-notify';

/** Raising an alert is quick: retried for an hour, then the DLQ. */
export const RAISE_ALERT_RETRY: RetryPolicy = { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3_600 };

/** A notification that is hours late still tells someone: retried for six hours, then the DLQ. */
export const NOTIFY_RETRY: RetryPolicy = { maximumRetryAttempts: 12, maximumEventAgeInSeconds: 6 * 3_600 };

/**
 * The handler key of a condition. One per condition, although they share the code: on AWS each
 * becomes its own function, which knows the rule that invokes it (Lambda is not told).
 */
export function raiseHandlerOf(condition: Pick<AlertCondition, 'name'>): string {
  return `raise-${condition.name}`;
}

export function alertingService(config: AlertingConfig = DEFAULT_ALERTING_CONFIG) {
  const conditions = alertConditions(config);
  const raise = raiseAlertHandler(conditions);
  const conditionRules: SubscriptionDeclaration[] = conditions.map((condition) => ({
    ruleName: condition.ruleName,
    description: condition.description,
    // Replays are not excluded: the idempotency record keeps a replayed message from alerting twice,
    // and a replay after an outage (or after adding a condition) raises what was missed.
    eventPattern: condition.eventPattern,
    targets: [{ kind: 'handler', handler: raiseHandlerOf(condition), retryPolicy: RAISE_ALERT_RETRY }],
  }));
  return defineService({
    name: 'alerting',
    source: SOURCES.alerting,
    description:
      'Alerts on analysed messages (NEGATIVE sentiment and configured conditions), told to people.',
    publishes: ['ALERT_RAISED'],
    archives: [],
    subscriptions: [
      ...conditionRules,
      {
        ruleName: ALERT_NOTIFY_RULE,
        description: 'ALERT_RAISED -> the alerts topic, as one readable line',
        // A replayed alert was told already (a missed one waits in the DLQ, for a redrive).
        eventPattern: {
          source: [SOURCES.alerting],
          'detail-type': ['ALERT_RAISED'],
          'replay-name': [{ exists: false }],
        },
        targets: [
          {
            kind: 'notification',
            topic: ALERTS_TOPIC,
            retryPolicy: NOTIFY_RETRY,
            inputTransformer: ALERT_MESSAGE,
          },
        ],
      },
    ],
    handlers: Object.fromEntries(conditions.map((c) => [raiseHandlerOf(c), raise])),
  });
}
