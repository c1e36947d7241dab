// Plumbing owns the bus itself: the archive of every event and the catch-all log with
// per-detail-type counts. Both runtimes render exactly this.
import { defineService, type EventPattern } from '@murmur/ports';

/** Every Murmur event. EventBridge needs a pattern; an empty prefix on `source` matches all. */
export const ALL_MURMUR_EVENTS: EventPattern = { source: [{ prefix: 'murmur.' }] };

/** Live events only: replays are re-deliveries, they must not be logged or counted twice. */
export const LIVE_MURMUR_EVENTS: EventPattern = {
  ...ALL_MURMUR_EVENTS,
  'replay-name': [{ exists: false }],
};

export const PLUMBING_DEFAULTS = {
  busName: 'murmur',
  archiveName: 'murmur-all-events',
  archiveRetentionDays: 30,
  catchAllRuleName: 'murmur-catch-all-log',
  eventLogName: 'murmur-events',
  eventLogRetentionDays: 14,
} as const;

export interface PlumbingOptions {
  archiveRetentionDays?: number;
  eventLogRetentionDays?: number;
}

export function plumbingService(options: PlumbingOptions = {}) {
  return defineService({
    name: 'plumbing',
    source: 'murmur.plumbing',
    description: 'The bus: archive of all events (replays excluded) and the catch-all event log.',
    publishes: [],
    archives: [
      {
        archiveName: PLUMBING_DEFAULTS.archiveName,
        description: 'Every Murmur event, for replay.',
        eventPattern: ALL_MURMUR_EVENTS,
        retentionDays: options.archiveRetentionDays ?? PLUMBING_DEFAULTS.archiveRetentionDays,
      },
    ],
    subscriptions: [
      {
        ruleName: PLUMBING_DEFAULTS.catchAllRuleName,
        description: 'Every live event into the event log, counted per detail-type.',
        eventPattern: LIVE_MURMUR_EVENTS,
        targets: [
          {
            kind: 'log',
            logName: PLUMBING_DEFAULTS.eventLogName,
            retentionDays: options.eventLogRetentionDays ?? PLUMBING_DEFAULTS.eventLogRetentionDays,
            countByDetailType: true,
          },
        ],
      },
    ],
    handlers: {},
  });
}
