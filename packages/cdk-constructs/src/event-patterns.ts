// Event patterns go to CloudFormation exactly as declared. The L2 `events.EventPattern` type
// only knows a few operators and rewrites keys, so we set the raw JSON on the L1 resource.
import type { EventPattern, ServiceDeclaration } from '@murmur/ports';
import type * as events from 'aws-cdk-lib/aws-events';

/** One pattern a runtime holds: a rule's or an archive's. */
export interface HeldPattern {
  kind: 'rule' | 'archive';
  name: string;
  eventPattern: EventPattern;
}

/**
 * The L2 constructs insist on a non-empty pattern before synthesis; this is only used to
 * satisfy that check; `setRawEventPattern` replaces what reaches the template.
 */
export function placeholderPattern(pattern: EventPattern): events.EventPattern {
  return pattern as events.EventPattern;
}

/** Replace the pattern the L2 would render with the declaration's JSON, untouched. */
export function setRawEventPattern(cfn: events.CfnRule | events.CfnArchive, pattern: EventPattern): void {
  // A deep copy, so later mutation of the declaration cannot change the template.
  cfn.eventPattern = structuredClone(pattern);
}

/** The patterns the declarations ask for, in the order a stack renders them. */
export function declaredEventPatterns(declarations: readonly ServiceDeclaration[]): HeldPattern[] {
  const held: HeldPattern[] = [];
  for (const d of declarations) {
    for (const a of d.archives)
      held.push({ kind: 'archive', name: a.archiveName, eventPattern: a.eventPattern });
    for (const s of d.subscriptions)
      held.push({ kind: 'rule', name: s.ruleName, eventPattern: s.eventPattern });
  }
  return sortHeld(held);
}

interface TemplateResource {
  Type?: string;
  Properties?: Record<string, unknown>;
}

/**
 * The patterns a synthesized template holds (`Template.fromStack(stack).toJSON()` or a
 * cdk.out template), so a test can compare them with what the embedded runtime installs.
 */
export function renderedEventPatterns(template: {
  Resources?: Record<string, TemplateResource>;
}): HeldPattern[] {
  const held: HeldPattern[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const props = resource.Properties ?? {};
    const pattern = props.EventPattern;
    if (pattern === undefined) continue;
    const eventPattern = (typeof pattern === 'string' ? JSON.parse(pattern) : pattern) as EventPattern;
    if (resource.Type === 'AWS::Events::Rule') {
      held.push({ kind: 'rule', name: nameOr(props.Name, logicalId), eventPattern });
    } else if (resource.Type === 'AWS::Events::Archive') {
      held.push({ kind: 'archive', name: nameOr(props.ArchiveName, logicalId), eventPattern });
    }
  }
  return sortHeld(held);
}

function nameOr(name: unknown, logicalId: string): string {
  return typeof name === 'string' ? name : logicalId;
}

function sortHeld(held: HeldPattern[]): HeldPattern[] {
  return held.sort((a, b) => `${a.kind}:${a.name}`.localeCompare(`${b.kind}:${b.name}`));
}
