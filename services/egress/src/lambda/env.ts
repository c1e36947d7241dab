/**
 * Environment variables the egress stack sets on its function (kept free of SDK imports: the
 * stack reads it). `MURMUR_X_API_URL` (a loopback X emulator, tests only) is read too; the stack
 * never sets it.
 */
export const EGRESS_ENV = {
  busName: 'MURMUR_BUS_NAME',
  idempotencyTable: 'MURMUR_IDEMPOTENCY_TABLE',
  mediaBucket: 'MURMUR_MEDIA_BUCKET',
  secretArn: 'MURMUR_X_SECRET_ARN',
  /** `DEFAULT_CLAIM_SECONDS` unless set; the stack sets it from the function's timeout. */
  claimSeconds: 'MURMUR_EGRESS_CLAIM_SECONDS',
  xApiUrl: 'MURMUR_X_API_URL',
} as const;
