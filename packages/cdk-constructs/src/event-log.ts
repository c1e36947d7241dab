// A declared `log` target on AWS: a CloudWatch log group EventBridge writes matched events to,
// with one metric per detail-type when the declaration asks to count them.
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** CloudWatch metric namespace of the per-detail-type event counts. */
export const EVENT_METRICS_NAMESPACE = 'Murmur/Events';

/** EventBridge log targets conventionally live under `/aws/events/`. */
export function eventLogGroupName(logName: string): string {
  return `/aws/events/${logName}`;
}

const RETENTION_VALUES = new Set<number>(
  Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/** The declaration's days as CloudWatch's enum; 0 = keep forever. Rejects what CloudWatch rejects. */
export function retentionFor(days: number): logs.RetentionDays {
  if (days === 0) return logs.RetentionDays.INFINITE;
  if (!RETENTION_VALUES.has(days) || days === logs.RetentionDays.INFINITE) {
    const allowed = [...RETENTION_VALUES].filter((v) => v !== logs.RetentionDays.INFINITE).join(', ');
    throw new Error(`log retention of ${days} days is not one CloudWatch Logs accepts (0 or ${allowed})`);
  }
  return days as logs.RetentionDays;
}

export interface EventLogProps {
  logName: string;
  retentionDays: number;
  /** Detail-types to count; empty = no metric filters. */
  countDetailTypes?: readonly string[];
  /** @default DESTROY: the archive is the durable record; the log is for operators. */
  removalPolicy?: RemovalPolicy;
}

export class EventLog extends Construct implements events.IRuleTarget {
  readonly logGroup: logs.LogGroup;
  readonly deliveryPolicy: logs.ResourcePolicy;
  readonly metricFilters = new Map<string, logs.MetricFilter>();

  constructor(scope: Construct, id: string, props: EventLogProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: eventLogGroupName(props.logName),
      retention: retentionFor(props.retentionDays),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    // A native AWS::Logs::ResourcePolicy. `targets.CloudWatchLogGroup` would install the same
    // grant through a custom-resource Lambda (its own role, runtime and nag findings).
    this.deliveryPolicy = new logs.ResourcePolicy(this, 'DeliveryPolicy', {
      resourcePolicyName: `${Stack.of(this).stackName}-${props.logName}-events`.slice(0, 255),
      policyStatements: [
        new iam.PolicyStatement({
          sid: 'EventBridgeWritesMatchedEvents',
          principals: [
            new iam.ServicePrincipal('events.amazonaws.com'),
            new iam.ServicePrincipal('delivery.logs.amazonaws.com'),
          ],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
      ],
    });
    for (const detailType of new Set(props.countDetailTypes ?? [])) {
      this.metricFilters.set(
        detailType,
        new logs.MetricFilter(this, `Count-${detailType}`, {
          logGroup: this.logGroup,
          metricNamespace: EVENT_METRICS_NAMESPACE,
          metricName: detailType,
          filterPattern: logs.FilterPattern.stringValue('$.detail-type', '=', detailType),
          metricValue: '1',
        }),
      );
    }
  }

  bind(rule: events.IRuleRef): events.RuleTargetConfig {
    // No delivery before the grant exists: early events would fail and burn retries.
    rule.node.addDependency(this.deliveryPolicy);
    return {
      // The target ARN is the log group's without the trailing `:*`.
      arn: Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: this.logGroup.logGroupName,
      }),
      targetResource: this.logGroup,
    };
  }
}
