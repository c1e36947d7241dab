// ALERT_RAISED: one alert condition met by one message. Alert rules match MESSAGE_ANALYSED on the
// bus; publishing the alert as an event puts it in the archive and the lake, so "what did we alert
// on?" is a query, and notifiers (SNS, console, Slack/Discord webhooks) can subscribe to one event.
import { z } from 'zod';
import { AuthorSchema, baseDetailShape, XIdSchema } from './common.js';

export const AlertRaisedDetailSchema = z.strictObject({
  ...baseDetailShape,
  alertId: z
    .string()
    .min(1)
    .max(256)
    .describe('Deterministic, e.g. `<rule>:<messageId>`, so a redelivery raises the same alert.'),
  rule: z.string().min(1).describe('The alert condition that matched, e.g. `negative-sentiment`.'),
  severity: z.enum(['info', 'warning', 'critical']),
  summary: z.string().min(1).max(1000).describe('One readable line for the notification.'),
  reasons: z.array(z.string().min(1)).min(1).describe('What matched, e.g. `sentiment NEGATIVE (0.97)`.'),
  accountId: XIdSchema.describe('The bot account concerned.'),
  messageId: XIdSchema.describe('The message that raised it.'),
  author: AuthorSchema,
  text: z.string().describe('The message text.'),
  url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Link to the tweet, when there is one.'),
});
export type AlertRaisedDetail = z.infer<typeof AlertRaisedDetailSchema>;
