// Helpers for the CDK assertion tests of the service stacks and the app (test code only).
export { acknowledgedIn, expectNoFindings, MIN_REASON_LENGTH, type NagReport, synthWithNag } from './nag.js';
export {
  actionsOf,
  everyStatement,
  expectServiceRoles,
  list,
  logicalId,
  policyStatements,
  type Resource,
  resource,
  resourceEntries,
  resourcesOf,
  roleStatements,
  type Statement,
  statementsOf,
} from './template-queries.js';
