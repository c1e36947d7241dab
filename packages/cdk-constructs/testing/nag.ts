// cdk-nag AwsSolutions in the CDK tests, registered as infra's app registers it (cdk-nag 3: a
// validation plugin, so synthesis throws on an unacknowledged error).
import { expect } from '@jest/globals';
import { type App, type Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export type NagReport = ReturnType<AwsSolutionsChecks['validateScope']>;

/** An acknowledgement must say why; a few words ("false positive") do not. */
export const MIN_REASON_LENGTH = 40;

/** Synthesizes `app` with AwsSolutions; synth throws on unacknowledged errors, the report holds warnings too. */
export function synthWithNag(app: App): NagReport {
  const pack = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(pack);
  app.synth();
  return pack.validateScope(app);
}

/** Asserts the report holds no finding at all, and no stack of `stacks` an error annotation. */
export function expectNoFindings(report: NagReport, ...stacks: Stack[]): void {
  // Rule and construct path: a failure says what to fix.
  expect(
    report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`),
  ).toEqual([]);
  expect(report.success).toBe(true);
  for (const stack of stacks)
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
}

/** The rules acknowledged anywhere under `scope`, sorted, each asserted to carry a real reason. */
export function acknowledgedIn(scope: IConstruct): string[] {
  const ids = new Set<string>();
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
      for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
        expect(String(reason).length).toBeGreaterThan(MIN_REASON_LENGTH);
        ids.add(id.replace(/^annotation::/i, ''));
      }
    }
  }
  return [...ids].sort();
}
