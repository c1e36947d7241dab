// The names of alerting's variables, and the error that names them: shared by the config reader
// and the conditions (whose patterns can outgrow EventBridge's quota).

/** The variables, one place: `murmur start` reads them, the AWS stack writes them for its functions. */
export const ALERTING_ENV = {
  toxicity: 'MURMUR_ALERT_TOXICITY',
  moderation: 'MURMUR_ALERT_MODERATION',
  keywords: 'MURMUR_ALERT_KEYWORDS',
  authors: 'MURMUR_ALERT_AUTHORS',
  webhooks: 'MURMUR_ALERT_WEBHOOKS',
  console: 'MURMUR_ALERT_CONSOLE',
} as const;

/** Bad alerting configuration; the message names the variable (or field) at fault. */
export class AlertingConfigError extends Error {
  override readonly name = 'AlertingConfigError';
}
