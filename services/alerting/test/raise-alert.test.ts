// The raise-alert handler on real local ports: the embedded bus (which checks every event against
// the catalog) and the SQLite idempotency store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { SqliteIdempotencyStore } from '@murmur/embedded-runtime';
import { type AlertRaisedDetail, type EventEnvelope, loadExamples } from '@murmur/events';
import { type BusPort, type HandlerContext, NonRetryableError, RetryLaterError } from '@murmur/ports';
import {
  ALERT_ONCE,
  alertConditions,
  alertingService,
  DEFAULT_ALERTING_CONFIG,
  quotable,
  raiseAlertHandler,
} from '../src/index.js';
import {
  type AnalysedEvent,
  analysed,
  type LogLine,
  recordingLogger,
  toxicMessage,
  variant,
} from './support.js';

const CONFIG = { ...DEFAULT_ALERTING_CONFIG, keywords: ['order'] };

describe('raiseAlertHandler', () => {
  let dir: string;
  let bus: EmbeddedBus;
  let idempotency: SqliteIdempotencyStore;
  let now: number;
  let lines: LogLine[];
  const handler = raiseAlertHandler(alertConditions(CONFIG));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-alerting-'));
    bus = new EmbeddedBus({ path: join(dir, 'bus.db') });
    now = Date.parse('2026-03-14T09:50:03Z');
    idempotency = new SqliteIdempotencyStore(join(dir, 'state.db'), () => now);
    lines = [];
  });
  afterEach(() => {
    idempotency.close();
    bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ctx = (ruleName: string, event: EventEnvelope, publisher: BusPort = bus): HandlerContext => ({
    bus: publisher,
    idempotency,
    blobs: { bucket: 'none', put: async () => {}, get: async () => new Uint8Array() },
    log: recordingLogger(lines),
    ruleName,
    event,
    attempt: 1,
  });
  const deliver = (ruleName: string, event: AnalysedEvent, publisher?: BusPort) =>
    handler(event, ctx(ruleName, event, publisher));
  const raised = (): EventEnvelope[] =>
    bus
      .eventsAfter(0)
      .map((e) => e.envelope)
      .filter((e) => e['detail-type'] === 'ALERT_RAISED');

  it('raises the ALERT_RAISED the catalog example describes (summary aside) for the NEGATIVE complaint', async () => {
    // Prepare
    const example = loadExamples().find((e) => e.name === 'valid-negative-sentiment')!.envelope;
    const { summary: _exampleSummary, ...expected } = example.detail as AlertRaisedDetail;
    // Act
    await deliver('alerting-negative-sentiment', analysed('valid-negative-text-only'));
    // Assess
    const events = raised();
    expect(events).toHaveLength(1);
    expect(events[0]!.source).toBe('murmur.alerting');
    const { summary, ...rest } = events[0]!.detail as AlertRaisedDetail;
    expect(rest).toEqual(expected);
    expect(summary).toBe(
      'reply from @g: "@MurmurBot this service is terrible, my order never arrived and nobody answers" ' +
        '(sentiment NEGATIVE (0.98)) https://x.com/g/status/1900000000000000999',
    );
  });

  it('raises nothing more when the same event is delivered again', async () => {
    const event = analysed('valid-negative-text-only');
    await deliver('alerting-negative-sentiment', event);
    await deliver('alerting-negative-sentiment', event);
    await deliver('alerting-negative-sentiment', { ...event, id: 'another-delivery-of-the-same-message' });
    expect(raised()).toHaveLength(1);
  });

  it('raises one alert per condition the message meets, each with its own id and severity', async () => {
    // Prepare: toxic, negative, and it mentions "order"
    const event = toxicMessage();
    // Act
    for (const rule of ['alerting-negative-sentiment', 'alerting-toxic-text', 'alerting-keyword']) {
      await deliver(rule, event);
    }
    // Assess
    const alerts = raised().map((e) => e.detail as AlertRaisedDetail);
    expect(alerts.map((a) => [a.alertId, a.severity, a.reasons])).toEqual([
      ['negative-sentiment:1900000000000000999', 'warning', ['sentiment NEGATIVE (0.98)']],
      ['toxic-text:1900000000000000999', 'critical', ['toxicity 0.82 (INSULT 0.79, PROFANITY 0.64)']],
      ['keyword:1900000000000000999', 'info', ['keyword "order"']],
    ]);
  });

  it('asks to be retried after the claim runs out while another delivery holds it, then raises the alert', async () => {
    // Prepare: a delivery that claimed the alert and died before publishing
    const event = analysed('valid-negative-text-only');
    await idempotency.begin(['alert:negative-sentiment:1900000000000000999'], ALERT_ONCE);
    // Act
    const first = deliver('alerting-negative-sentiment', event);
    // Assess
    await expect(first).rejects.toThrow(RetryLaterError);
    await expect(first).rejects.toMatchObject({ retryAfterMs: ALERT_ONCE.inProgressSeconds * 1000 });
    expect(raised()).toHaveLength(0);
    now += (ALERT_ONCE.inProgressSeconds + 1) * 1000;
    await deliver('alerting-negative-sentiment', event);
    expect(raised()).toHaveLength(1);
  });

  it('lets the retry raise the alert when publishing failed', async () => {
    // Prepare: PutEvents fails once (as a throttled EventBridge would)
    let calls = 0;
    const flaky: BusPort = {
      publish: async (entries) => {
        calls++;
        if (calls === 1) throw new Error('ThrottlingException: Rate exceeded');
        return bus.publish(entries);
      },
    };
    const event = analysed('valid-negative-text-only');
    // Act / Assess
    await expect(deliver('alerting-negative-sentiment', event, flaky)).rejects.toThrow('Rate exceeded');
    await deliver('alerting-negative-sentiment', event, flaky);
    expect(raised()).toHaveLength(1);
  });

  it('refuses for good a rule it has no condition for, and an event that is not MESSAGE_ANALYSED', async () => {
    const event = analysed('valid-negative-text-only');
    await expect(deliver('alerting-watched-author', event)).rejects.toThrow(NonRetryableError);
    await expect(deliver('alerting-watched-author', event)).rejects.toThrow(
      /no alert condition is declared for rule alerting-watched-author; known: alerting-negative-sentiment/,
    );
    const broken = structuredClone(event) as unknown as { detail: { author?: unknown } };
    delete broken.detail.author;
    await expect(deliver('alerting-negative-sentiment', broken as AnalysedEvent)).rejects.toThrow(
      /not a MESSAGE_ANALYSED detail \(author: /,
    );
    expect(raised()).toHaveLength(0);
  });

  it('gives a DM no link, and calls it a DM', async () => {
    // Prepare: the DM example, made negative
    const event = variant('valid-direct-message-partial-failure', (d) => {
      d.analysis.textSentiment = 'NEGATIVE';
    });
    // Act
    await deliver('alerting-negative-sentiment', event);
    // Assess
    const alert = raised()[0]!.detail as AlertRaisedDetail;
    expect(alert.url).toBeUndefined();
    expect(alert.summary).toBe('DM from @ada_l: "Hi! Can you tell me a joke?" (sentiment NEGATIVE)');
  });

  it('keeps pings out of the summary, on one line, at most 1000 characters, whatever the author wrote', async () => {
    // Prepare: markup Slack would act on, line breaks, and a very long text
    const event = variant('valid-negative-text-only', (d) => {
      d.text = `<!channel> <@U024BE7LH> look\nhere\n\n${'😡'.repeat(2000)}`;
    });
    // Act
    await deliver('alerting-negative-sentiment', event);
    // Assess
    const alert = raised()[0]!.detail as AlertRaisedDetail;
    expect(alert.summary).toMatch(
      /^reply from @g: "‹!channel› ‹@U024BE7LH› look here (?:😡)+…" \(sentiment NEGATIVE/u,
    );
    expect(alert.summary).not.toMatch(/[<>\n]/);
    expect(alert.summary.length).toBeLessThanOrEqual(1000);
    expect(alert.text).toBe(event.detail.text);
  });
});

describe('quotable', () => {
  it('cuts at a character, never inside one', () => {
    expect(quotable('😀'.repeat(5), 3)).toBe('😀😀…');
    expect(quotable('  two\tlines\r\nhere  ')).toBe('two lines here');
  });
});

describe('alertingService', () => {
  it('declares one handler per condition, each rule targeting its own, and the notification rule', () => {
    const service = alertingService(CONFIG);
    expect(
      service.subscriptions.map((s) => [
        s.ruleName,
        s.targets.map((t) => (t.kind === 'handler' ? t.handler : t.kind)),
      ]),
    ).toEqual([
      ['alerting-negative-sentiment', ['raise-negative-sentiment']],
      ['alerting-toxic-text', ['raise-toxic-text']],
      ['alerting-image-moderation', ['raise-image-moderation']],
      ['alerting-keyword', ['raise-keyword']],
      ['alerting-notify', ['notification']],
    ]);
    expect(Object.keys(service.handlers).sort()).toEqual([
      'raise-image-moderation',
      'raise-keyword',
      'raise-negative-sentiment',
      'raise-toxic-text',
    ]);
    expect(service.publishes).toEqual(['ALERT_RAISED']);
  });
});
