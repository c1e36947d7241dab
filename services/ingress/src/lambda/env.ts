/** Environment variables the ingress stack sets on the webhook function (kept free of SDK imports: the stack reads it). */
export const WEBHOOK_ENV = {
  busName: 'MURMUR_BUS_NAME',
  idempotencyTable: 'MURMUR_IDEMPOTENCY_TABLE',
  secretArn: 'MURMUR_X_SECRET_ARN',
} as const;
