import { z } from 'zod';

/** EventBridge's event envelope, as delivered to targets. `replay-name` only on replayed events. */
export const EventEnvelopeSchema = z.object({
  version: z.literal('0'),
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
  'replay-name': z.string().optional(),
});

export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;
