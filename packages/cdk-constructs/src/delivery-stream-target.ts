// A declared `deliveryStream` target on AWS: the rule puts each event, whole, into a Firehose
// stream (which writes the data lake), with the declared retries and a dead-letter queue like every
// other target kind. `targets.FirehoseDeliveryStream` takes neither a retry policy nor a DLQ, so it
// is wrapped here. The stream itself (its bucket, prefix, partitioning) belongs to the stack that
// owns the lake; locally the same target is the lake writer (packages/embedded-runtime).
import type { DeliveryStreamTarget } from '@murmur/ports';
import { type Duration, Names } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** A stream as a stack holds it: the L2 construct, or the L1 when the stack needs its full config. */
export type DeliveryStreamLike = firehose.IDeliveryStream | firehose.CfnDeliveryStream;

/** The deployed stream of a declared target; a missing one fails the synth with what to pass. */
export function deliveryStreamFor(
  service: string,
  ruleName: string,
  target: DeliveryStreamTarget,
  streams: Readonly<Record<string, DeliveryStreamLike>> | undefined,
): DeliveryStreamLike {
  const stream = streams?.[target.streamName];
  if (!stream) {
    throw new Error(
      `service ${service}: rule ${ruleName} delivers to stream "${target.streamName}", ` +
        'but no Firehose stream was given for it in deliveryStreams',
    );
  }
  return stream;
}

/**
 * Put events into a Firehose stream (PutRecord/PutRecordBatch on that stream only, by
 * EventBridge's role for it), retried by the declared policy, then sent to the dead-letter queue.
 * `props` as `targetProps` gives them; all three are required here: no silent default policy.
 */
export class DeliveryStreamRuleTarget implements events.IRuleTarget {
  private readonly stream: DeliveryStreamLike;
  private readonly deadLetterQueue: sqs.IQueue;
  private readonly retryAttempts: number;
  private readonly maxEventAge: Duration;

  constructor(stream: DeliveryStreamLike, props: targets.TargetBaseProps) {
    const { deadLetterQueue, retryAttempts, maxEventAge } = props;
    if (!deadLetterQueue || retryAttempts === undefined || !maxEventAge) {
      throw new Error(
        `the rule target of stream ${stream.node.path} needs a deadLetterQueue, retryAttempts and maxEventAge`,
      );
    }
    this.stream = stream;
    this.deadLetterQueue = deadLetterQueue;
    this.retryAttempts = retryAttempts;
    this.maxEventAge = maxEventAge;
  }

  bind(rule: events.IRuleRef, id?: string): events.RuleTargetConfig {
    const queue = this.deadLetterQueue;
    // EventBridge may send this rule's failures to the queue; the condition names this rule only.
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `AllowEventRule${Names.nodeUniqueId(rule.node)}`,
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': events.CfnRule.arnForRule(rule) } },
      }),
    );
    return {
      ...this.bindStream(rule, id),
      deadLetterConfig: { arn: queue.queueArn },
      retryPolicy: {
        maximumRetryAttempts: this.retryAttempts,
        maximumEventAgeInSeconds: this.maxEventAge.toSeconds({ integral: true }),
      },
    };
  }

  /** The stream's ARN and EventBridge's role for it. No input: records are whole events. */
  private bindStream(rule: events.IRuleRef, id?: string): events.RuleTargetConfig {
    const stream = this.stream;
    // An L2 stream: as aws-events-targets binds it (its grant covers a customer key, if any).
    if (!(stream instanceof firehose.CfnDeliveryStream)) {
      return new targets.FirehoseDeliveryStream(stream).bind(rule, id);
    }
    // An L1 stream: the same role and grant, made here. Importing it as an L2 would add an unused
    // region mapping to environment-agnostic templates.
    const role =
      (stream.node.tryFindChild(EVENTS_ROLE_ID) as iam.Role | undefined) ??
      new iam.Role(stream, EVENTS_ROLE_ID, { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: PUT_RECORD_ACTIONS, resources: [stream.attrArn] }),
    );
    return { arn: stream.attrArn, role, targetResource: stream };
  }
}

/** One role per stream, shared by every rule that targets it (the id aws-events-targets uses). */
const EVENTS_ROLE_ID = 'EventsRole';
/** What EventBridge calls to deliver to Firehose. */
export const PUT_RECORD_ACTIONS = ['firehose:PutRecord', 'firehose:PutRecordBatch'];
