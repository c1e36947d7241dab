/** Environment variables the ingress stack sets on its functions (kept free of SDK imports: the stack reads it). */
export const WEBHOOK_ENV = {
  busName: 'MURMUR_BUS_NAME',
  idempotencyTable: 'MURMUR_IDEMPOTENCY_TABLE',
  secretArn: 'MURMUR_X_SECRET_ARN',
} as const;

/**
 * The poll function reads the webhook's variables; checkpoints share the idempotency table.
 * `MURMUR_X_API_URL` (a loopback X emulator, tests only) is read from the environment too; the
 * stack never sets it.
 */
export const POLL_ENV = { ...WEBHOOK_ENV, xApiUrl: 'MURMUR_X_API_URL' } as const;
