// Who may publish what on the bus. A service's roles carry the tag `murmur-service=<name>`;
// the bus policy denies same-account callers any source but `murmur.<their tag>`.
import { Tags } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

export const MURMUR_SERVICES = [
  'ingress',
  'plumbing',
  'analysis',
  'alerting',
  'responding',
  'egress',
  'analytics',
] as const;

export type MurmurServiceName = (typeof MURMUR_SERVICES)[number];

/** The IAM principal tag that says which service a role speaks for. */
export const SERVICE_TAG_KEY = 'murmur-service';

export function sourceOf(service: MurmurServiceName): string {
  return `murmur.${service}`;
}

export function serviceTag(service: MurmurServiceName): { key: string; value: string } {
  return { key: SERVICE_TAG_KEY, value: service };
}

/**
 * Tag every taggable resource under `scope` (roles included) as speaking for `service`.
 * Apply it to the service stack, or to each role that publishes; untagged roles cannot publish.
 */
export function tagAsMurmurService(scope: IConstruct, service: MurmurServiceName): void {
  if (!(MURMUR_SERVICES as readonly string[]).includes(service)) {
    throw new Error(`unknown Murmur service "${service}"; known: ${MURMUR_SERVICES.join(', ')}`);
  }
  Tags.of(scope).add(SERVICE_TAG_KEY, service);
}

/**
 * Let `grantee` (a Lambda, a role) publish on the bus as `service`, and only as it: the identity
 * policy allows PutEvents only for `murmur.<service>` entries, and the role is tagged so the
 * bus policy recognises it. Two independent checks: either alone keeps the source honest.
 */
export function grantPublish(
  bus: events.IEventBus,
  grantee: iam.IGrantable,
  service: MurmurServiceName,
): iam.Grant {
  const principal = grantee.grantPrincipal;
  if (!(principal instanceof iam.Role)) {
    throw new Error(
      `grantPublish(${service}): the grantee's principal must be an iam.Role defined in this app, ` +
        'so it can carry the murmur-service tag the bus policy checks',
    );
  }
  tagAsMurmurService(principal, service);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['events:PutEvents'],
    resourceArns: [bus.eventBusArn],
    conditions: {
      'ForAllValues:StringEquals': { 'events:source': [sourceOf(service)] },
      // ForAllValues is true for a missing key; require it.
      Null: { 'events:source': 'false' },
    },
  });
}

export interface BusPublishPolicyOptions {
  /** The bus ARN. Build it from the name (not GetAtt) when the policy sits on the bus itself. */
  busArn: string;
  /** The account whose principals the policy restricts (usually `Stack.of(this).account`). */
  account: string;
  services?: readonly MurmurServiceName[];
}

/**
 * Deny-only statements. Same-account principals are allowed by their identity policies
 * (`grantPutEventsTo`), so an Allow here would restrict nothing; an explicit Deny in the
 * resource policy wins over any Allow. Literal comparisons only, no policy variables: a
 * variable that cannot be resolved (an untagged caller) would void its statement.
 *
 * - untagged callers, and callers tagged with an unknown service, may not publish at all;
 * - a caller tagged `X` may not publish an entry whose source is not `murmur.X`
 *   (`ForAnyValue`, because one PutEvents call carries up to 10 entries and sources).
 *
 * EventBridge's own re-deliveries (archive replay) are not PutEvents calls by an IAM
 * principal of the account, so the `aws:PrincipalAccount` condition never matches them.
 */
export function busPublishPolicyStatements(options: BusPublishPolicyOptions): iam.PolicyStatement[] {
  const services = options.services ?? MURMUR_SERVICES;
  const base = {
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['events:PutEvents'],
    resources: [options.busArn],
  };
  const statements = [
    new iam.PolicyStatement({
      ...base,
      sid: 'DenyPublishWithoutMurmurServiceTag',
      conditions: {
        StringEquals: { 'aws:PrincipalAccount': options.account },
        // A negated operator is true when the key is missing: untagged callers are denied too.
        StringNotEquals: { [`aws:PrincipalTag/${SERVICE_TAG_KEY}`]: [...services] },
      },
    }),
  ];
  for (const service of services) {
    statements.push(
      new iam.PolicyStatement({
        ...base,
        sid: `Deny${pascal(service)}ForeignSources`,
        conditions: {
          StringEquals: {
            'aws:PrincipalAccount': options.account,
            [`aws:PrincipalTag/${SERVICE_TAG_KEY}`]: service,
          },
          'ForAnyValue:StringNotEquals': { 'events:source': sourceOf(service) },
        },
      }),
    );
  }
  return statements;
}

export function busPublishPolicy(options: BusPublishPolicyOptions): iam.PolicyDocument {
  return new iam.PolicyDocument({ statements: busPublishPolicyStatements(options) });
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
