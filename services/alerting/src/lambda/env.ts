/**
 * Environment variables the alerting stack sets on its raise-alert functions (kept free of SDK
 * imports: the stack reads it). They also get the condition variables of `ALERTING_ENV`
 * (`alertingConfigToEnv`), so each builds the very declaration the stack rendered.
 */
export const RAISE_ALERT_ENV = {
  busName: 'MURMUR_BUS_NAME',
  idempotencyTable: 'MURMUR_IDEMPOTENCY_TABLE',
  /** The one rule that invokes this function: Lambda does not say, the handler needs it. */
  rule: 'MURMUR_ALERT_RULE',
} as const;
