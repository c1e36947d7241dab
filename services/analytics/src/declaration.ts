// Analytics: every live event into the data lake. One rule, one delivery stream target: Firehose
// to S3 on AWS, the lake writer under MURMUR_HOME/lake locally. Replays are excluded (they are
// re-deliveries of events the lake already holds), as in plumbing's catch-all log.
import { defineService, type EventPattern } from '@murmur/ports';
import { lakeStreamTarget } from './layout.js';

export const ANALYTICS_RULE_NAME = 'analytics-all-events-to-lake';

export const LIVE_EVENTS_PATTERN: EventPattern = {
  source: [{ prefix: 'murmur.' }],
  'replay-name': [{ exists: false }],
};

export function analyticsService() {
  return defineService({
    name: 'analytics',
    source: 'murmur.analytics',
    description: 'Every live event into the data lake (S3 + Glue + Athena on AWS; NDJSON + DuckDB locally).',
    publishes: [],
    archives: [],
    handlers: {},
    subscriptions: [
      {
        ruleName: ANALYTICS_RULE_NAME,
        description: 'Every live event -> the lake delivery stream',
        eventPattern: LIVE_EVENTS_PATTERN,
        targets: [lakeStreamTarget()],
      },
    ],
  });
}
