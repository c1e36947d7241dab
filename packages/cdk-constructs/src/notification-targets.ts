// A declared notification target on AWS: the rule publishes to an SNS topic, whose subscriptions
// (email, SMS, HTTPS) tell people. The declared input transformer becomes the SNS message, so
// subscribers read the same line the embedded runtime's notifiers print. Locally the same target
// fans out to notifiers (packages/embedded-runtime/src/notifiers.ts).
import type { NotificationTarget } from '@murmur/ports';
import type * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** The deployed topic of a declared target; a missing one fails the synth with what to pass. */
export function notificationTopic(
  service: string,
  ruleName: string,
  target: NotificationTarget,
  topics: Readonly<Record<string, sns.ITopic>> | undefined,
): sns.ITopic {
  const topic = topics?.[target.topic];
  if (!topic) {
    throw new Error(
      `service ${service}: rule ${ruleName} notifies topic "${target.topic}", but no SNS topic was given for it in topics`,
    );
  }
  return topic;
}

/**
 * The rule target: publish to the topic, with the declared retries and dead-letter queue and the
 * declared transformer as the message (`props`, from `targetProps`). EventBridge publishes under
 * the topic's resource policy (events.amazonaws.com, added by the target); a topic encrypted
 * with a customer key must also let EventBridge use that key (see the alerting stack).
 */
export function snsNotificationTarget(
  topic: sns.ITopic,
  props: targets.TargetBaseProps & { input?: events.RuleTargetInput },
): events.IRuleTarget {
  const { input, ...base } = props;
  return new targets.SnsTopic(topic, { ...base, ...(input ? { message: input } : {}) });
}
