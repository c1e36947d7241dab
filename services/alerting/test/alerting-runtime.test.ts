// Alerting end to end on a real EmbeddedRuntime: a NEGATIVE MESSAGE_ANALYSED on the bus becomes
// one ALERT_RAISED, which the console notifier prints and a real HTTP server on loopback (standing
// in for a Slack incoming webhook) receives as JSON. Then the bad input: the webhook is down.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { listDeadLetters, redriveDeadLetters, startReplay } from '@murmur/embedded-bus';
import { consoleLogger, EmbeddedRuntime, type MurmurHome, resolveHome } from '@murmur/embedded-runtime';
import type { AlertRaisedDetail } from '@murmur/events';
import { plumbingService } from '@murmur/plumbing';
import { alertingConfigFromEnv, alertingService, alertNotifiersFromEnv, NOTIFY_RETRY } from '../src/index.js';
import { type AnalysedEvent, analysed } from './support.js';

const READABLE =
  'Murmur alert [warning] negative-sentiment: reply from @g: "@MurmurBot this service is terrible, ' +
  'my order never arrived and nobody answers" (sentiment NEGATIVE (0.98)) https://x.com/g/status/1900000000000000999';

interface SlackStandIn {
  server: Server;
  url: string;
  status: number;
  requests: { contentType: string | undefined; body: unknown }[];
}

async function slackWebhook(): Promise<SlackStandIn> {
  const hook = { status: 200, requests: [] } as unknown as SlackStandIn;
  hook.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hook.requests.push({
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      // Slack answers 200 "ok"; when it is unwell, 500.
      res.writeHead(hook.status, { 'content-type': 'text/plain' }).end(hook.status === 200 ? 'ok' : 'error');
    });
  });
  await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/services/T000/B000/XXXXSECRET`;
  return hook;
}

describe('alerting on the embedded runtime', () => {
  let home: MurmurHome;
  let runtime: EmbeddedRuntime | undefined;
  let slack: SlackStandIn;
  let lines: string[];

  beforeEach(async () => {
    home = resolveHome({ MURMUR_HOME: mkdtempSync(join(tmpdir(), 'murmur-alerting-home-')) });
    slack = await slackWebhook();
    lines = [];
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await new Promise<void>((resolve) => slack.server.close(() => resolve()));
    rmSync(home.root, { recursive: true, force: true });
  });

  /** `murmur start`'s wiring: services and notifiers from the environment. */
  async function start(env: Record<string, string>): Promise<EmbeddedRuntime> {
    return EmbeddedRuntime.start({
      home,
      services: [plumbingService(), alertingService(alertingConfigFromEnv(env))],
      notifiers: alertNotifiersFromEnv(env),
      log: consoleLogger({ level: 'info', write: (line) => lines.push(line) }),
      // Fast retries: the retry policy, not the clock, decides how many there are.
      dispatcher: { pollMs: 5, backoff: { baseMs: 1, maxMs: 5, jitter: 0 } },
    });
  }

  const publish = (event: AnalysedEvent) =>
    runtime!.bus.publish({ source: event.source, detailType: 'MESSAGE_ANALYSED', detail: event.detail });
  const raisedEvents = () =>
    runtime!.bus.eventsAfter(0).filter((e) => e.envelope['detail-type'] === 'ALERT_RAISED');
  /** Alerts raised live (a replay re-delivers archived ones with `replay-name`). */
  const alerts = () =>
    raisedEvents()
      .filter((e) => !('replay-name' in e.envelope))
      .map((e) => e.envelope.detail as AlertRaisedDetail);
  const printed = () => lines.filter((l) => l.includes(READABLE));
  const slackMessage = { text: READABLE, content: READABLE, allowed_mentions: { parse: [] } };

  it('turns a NEGATIVE message into one alert, printed and posted to the webhook', async () => {
    // Prepare
    runtime = await start({ MURMUR_ALERT_WEBHOOKS: slack.url });
    // Act
    await publish(analysed('valid-negative-text-only'));
    await runtime.dispatcher.idle();
    // Assess
    expect(alerts().map((a) => a.alertId)).toEqual(['negative-sentiment:1900000000000000999']);
    expect(printed()).toHaveLength(1);
    expect(printed()[0]).toMatch(/ WARN {2}Murmur alert \[warning\] .* service=alerting topic=alerts$/);
    expect(slack.requests).toEqual([{ contentType: 'application/json', body: slackMessage }]);
  });

  it('raises no second alert when the message is delivered again, or replayed from the archive', async () => {
    // Prepare
    runtime = await start({ MURMUR_ALERT_WEBHOOKS: slack.url });
    const event = analysed('valid-negative-text-only');
    await publish(event);
    await runtime.dispatcher.idle();
    // Act: analysis publishes the same result twice (at-least-once), then an operator replays the hour
    await publish(event);
    await runtime.dispatcher.idle();
    const replay = await startReplay(runtime.bus, {
      replayName: 'after-an-outage',
      archiveName: 'murmur-all-events',
      eventStartTime: new Date(Date.now() - 3_600_000),
      eventEndTime: new Date(Date.now() + 60_000),
    });
    await runtime.dispatcher.idle();
    // Assess
    expect(replay.state).toBe('COMPLETED');
    expect(replay.replayed).toBeGreaterThanOrEqual(3);
    expect(alerts()).toHaveLength(1);
    // The replayed copy of the alert itself is not told again.
    expect(raisedEvents().filter((e) => 'replay-name' in e.envelope)).toHaveLength(1);
    expect(printed()).toHaveLength(1);
    expect(slack.requests).toHaveLength(1);
  });

  it('raises nothing for a message that meets no condition', async () => {
    runtime = await start({ MURMUR_ALERT_WEBHOOKS: slack.url });
    await publish(analysed('valid-mention-with-photo'));
    await publish(analysed('valid-direct-message-partial-failure'));
    await runtime.dispatcher.idle();
    expect(alerts()).toEqual([]);
    expect(slack.requests).toEqual([]);
    expect(lines.filter((l) => l.includes('Murmur alert'))).toEqual([]);
  });

  it('retries a webhook that is down, keeps the alert in the DLQ, loses nothing, and delivers it on redrive', async () => {
    // Prepare: Slack answers 500 to everything
    slack.status = 500;
    runtime = await start({ MURMUR_ALERT_WEBHOOKS: slack.url });
    // Act
    await publish(analysed('valid-negative-text-only'));
    await runtime.dispatcher.idle();
    // Assess: every attempt the retry policy allows, then the DLQ, with the error
    expect(slack.requests).toHaveLength(NOTIFY_RETRY.maximumRetryAttempts + 1);
    const dead = listDeadLetters(runtime.bus);
    expect(dead.map((d) => [d.ruleName, d.targetId, d.attempts, d.error])).toEqual([
      [
        'alerting-notify',
        'notify.alerts.webhook.1',
        NOTIFY_RETRY.maximumRetryAttempts + 1,
        `Error: HTTP 500 from ${new URL(slack.url).origin}`,
      ],
    ]);
    expect(dead[0]!.envelope['detail-type']).toBe('ALERT_RAISED');
    // Nothing lost: the alert is on the bus, and the console (its own target) told someone
    expect(alerts()).toHaveLength(1);
    expect(printed()).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('XXXXSECRET');

    // Act: Slack is back; the operator redrives
    slack.status = 200;
    slack.requests.length = 0;
    expect(redriveDeadLetters(runtime.bus)).toBe(1);
    await runtime.dispatcher.idle();
    // Assess: delivered once, to the webhook only (the console had it already)
    expect(slack.requests).toEqual([{ contentType: 'application/json', body: slackMessage }]);
    expect(listDeadLetters(runtime.bus)).toEqual([]);
    expect(printed()).toHaveLength(1);
  });

  it('keeps the alert in the DLQ when the webhook refuses connections', async () => {
    // Prepare: a privileged port nothing listens on (no test's ephemeral port can be it)
    runtime = await start({ MURMUR_ALERT_WEBHOOKS: 'http://127.0.0.1:9/services/T000/B000/XXXXSECRET' });
    // Act
    await publish(analysed('valid-negative-text-only'));
    await runtime.dispatcher.idle();
    // Assess
    const [dead] = listDeadLetters(runtime.bus);
    expect(dead).toMatchObject({
      targetId: 'notify.alerts.webhook.1',
      attempts: NOTIFY_RETRY.maximumRetryAttempts + 1,
      error: 'TypeError: fetch failed',
    });
    expect(printed()).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('XXXXSECRET');
  });
});
