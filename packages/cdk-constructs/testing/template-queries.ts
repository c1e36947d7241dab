// Reading a synthesized template in the CDK assertion tests: resources by logical-id prefix, and
// the IAM statements they grant. Each lookup fails loudly rather than pick one of several matches.
import { expect } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';

/** One statement of a policy document, as CloudFormation holds it. */
export type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
};

/** One resource of a template. */
export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  DependsOn?: string[];
};

type PolicyProperties = { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };

/** A value CloudFormation takes as one item or a list, as a list. */
export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
export const actionsOf = (s: Statement): string[] => list(s.Action);
export const resourcesOf = (s: Statement): unknown[] => list(s.Resource);

/** The resources of `type`, as [logical id, resource]. */
export const resourceEntries = (template: Template, type: string): [string, Resource][] =>
  Object.entries(template.findResources(type)) as [string, Resource][];

/** The logical id of the one resource of `type` whose id starts with `prefix`; none or several throw. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

/** The one resource of `type` whose logical id starts with `prefix`. */
export const resource = (template: Template, type: string, prefix: string): Resource =>
  template.findResources(type)[logicalId(template, type, prefix)] as Resource;

const policies = (template: Template): PolicyProperties[] =>
  resourceEntries(template, 'AWS::IAM::Policy').map(([, p]) => p.Properties as PolicyProperties);

/** Every statement of every AWS::IAM::Policy of the template. */
export const policyStatements = (template: Template): Statement[] =>
  policies(template).flatMap((p) => p.PolicyDocument.Statement);

/** The statements of the AWS::IAM::Policy resources attached to the role `roleId` (exact id). */
export const roleStatements = (template: Template, roleId: string): Statement[] =>
  policies(template)
    .filter((p) => p.Roles.some((r) => r.Ref === roleId))
    .flatMap((p) => p.PolicyDocument.Statement);

/** The statements of the policies attached to the one role whose logical id starts with `rolePrefix`. */
export const statementsOf = (template: Template, rolePrefix: string): Statement[] =>
  roleStatements(template, logicalId(template, 'AWS::IAM::Role', rolePrefix));

/** Every statement of every policy document in the template: identity and resource policies alike. */
export function everyStatement(template: Template): Statement[] {
  const statements: Statement[] = [];
  for (const r of Object.values(template.toJSON().Resources as Record<string, Resource>)) {
    const doc = r.Properties?.PolicyDocument as { Statement: Statement[] } | undefined;
    if (doc) statements.push(...doc.Statement);
  }
  return statements;
}

/**
 * Asserts that no role of the template has a managed or inline policy (so its AWS::IAM::Policy
 * resources are all it may do) and, given `service`, that every role is tagged
 * murmur-service=<service>, the tag the bus policy reads. Returns the roles, to count them.
 */
export function expectServiceRoles(template: Template, service?: string): Resource[] {
  const roles = resourceEntries(template, 'AWS::IAM::Role');
  for (const [id, role] of roles) {
    const { ManagedPolicyArns, Policies, Tags } = role.Properties;
    // Keyed by the role's logical id, so that a failure names the role.
    expect({ [id]: { ManagedPolicyArns, Policies } }).toEqual({
      [id]: { ManagedPolicyArns: undefined, Policies: undefined },
    });
    if (service !== undefined) {
      expect({ [id]: Tags }).toEqual({
        [id]: expect.arrayContaining([{ Key: 'murmur-service', Value: service }]),
      });
    }
  }
  return roles.map(([, role]) => role);
}
