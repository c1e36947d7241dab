// The readable alert, declared once: the SNS message on AWS (email, SMS, HTTPS), the console line
// and the chat webhooks' text locally. A text template, not JSON: EventBridge then hands SNS the
// bare text (a quoted JSON-string template would reach the inbox with its quotes). It reads only
// fields every ALERT_RAISED has; the link to the tweet is part of the summary.
import type { InputTransformer } from '@murmur/ports';

export const ALERT_MESSAGE: InputTransformer = {
  inputPathsMap: {
    severity: '$.detail.severity',
    rule: '$.detail.rule',
    summary: '$.detail.summary',
  },
  inputTemplate: 'Murmur alert [<severity>] <rule>: <summary>',
};
