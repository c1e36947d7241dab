// The raise-alert Lambda entry: the declaration's handler under eventHandlerLambda, configured
// from the variables the stack sets. Ports are the local ones (the AWS ports have their own tests
// in @murmur/aws-adapters), so what is checked here is the wiring and the configuration errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { HandlerPorts } from '@murmur/aws-adapters';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { SqliteIdempotencyStore } from '@murmur/embedded-runtime';
import type { AlertRaisedDetail } from '@murmur/events';
import { AlertingConfigError } from '../src/index.js';
import { awsPorts, createRaiseAlertLambda, RAISE_ALERT_ENV } from '../src/lambda/raise-alert.js';
import { analysed, type LogLine, recordingLogger } from './support.js';

describe('createRaiseAlertLambda', () => {
  let dir: string;
  let bus: EmbeddedBus;
  let idempotency: SqliteIdempotencyStore;
  let lines: LogLine[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-alerting-lambda-'));
    bus = new EmbeddedBus({ path: join(dir, 'bus.db') });
    idempotency = new SqliteIdempotencyStore(join(dir, 'state.db'));
    lines = [];
  });
  afterEach(() => {
    idempotency.close();
    bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ports = (): HandlerPorts => ({
    bus,
    idempotency,
    blobs: { bucket: 'none', put: async () => {}, get: async () => new Uint8Array() },
    log: recordingLogger(lines),
  });
  const alerts = () =>
    bus
      .eventsAfter(0)
      .filter((e) => e.envelope['detail-type'] === 'ALERT_RAISED')
      .map((e) => e.envelope.detail as AlertRaisedDetail);

  it('raises the alert of the rule named in MURMUR_ALERT_RULE, once', async () => {
    // Prepare
    const handler = createRaiseAlertLambda({
      env: { [RAISE_ALERT_ENV.rule]: 'alerting-keyword', MURMUR_ALERT_KEYWORDS: 'terrible' },
      ports,
    });
    const event = analysed('valid-negative-text-only');
    // Act
    await handler(event);
    await handler(event);
    // Assess
    expect(alerts().map((a) => [a.alertId, a.reasons])).toEqual([
      ['keyword:1900000000000000999', ['keyword "terrible"']],
    ]);
    expect(
      lines.some(
        (l) =>
          l.message === 'alert raised' &&
          l.fields.rule === 'alerting-keyword' &&
          l.fields.condition === 'keyword',
      ),
    ).toBe(true);
  });

  it('fails with the missing variable named, and reads the configuration again on the next invocation', async () => {
    // Prepare
    const env: Record<string, string | undefined> = {};
    const handler = createRaiseAlertLambda({ env, ports });
    const event = analysed('valid-negative-text-only');
    // Act / Assess
    await expect(handler(event)).rejects.toThrow(
      new AlertingConfigError('MURMUR_ALERT_RULE is not set (the alerting stack sets it)'),
    );
    env[RAISE_ALERT_ENV.rule] = 'alerting-negative-sentiment';
    await handler(event);
    expect(alerts()).toHaveLength(1);
  });

  it('fails when its rule is not a condition of the configured variables, or a variable is bad', async () => {
    const event = analysed('valid-negative-text-only');
    await expect(
      createRaiseAlertLambda({ env: { [RAISE_ALERT_ENV.rule]: 'alerting-keyword' }, ports })(event),
    ).rejects.toThrow(
      'MURMUR_ALERT_RULE=alerting-keyword: no condition rule of that name with these condition variables',
    );
    await expect(
      createRaiseAlertLambda({
        env: { [RAISE_ALERT_ENV.rule]: 'alerting-toxic-text', MURMUR_ALERT_TOXICITY: '7' },
        ports,
      })(event),
    ).rejects.toThrow(/^MURMUR_ALERT_TOXICITY: "7" is not on, off or a number/);
    expect(alerts()).toHaveLength(0);
  });

  it('acknowledges an input that is not an EventBridge event (retrying cannot help), and raises nothing', async () => {
    const handler = createRaiseAlertLambda({
      env: { [RAISE_ALERT_ENV.rule]: 'alerting-negative-sentiment' },
      ports,
    });
    await expect(handler({ hello: 'world' })).resolves.toBeUndefined();
    expect(
      lines.some((l) => l.level === 'error' && l.message === 'event refused for good; not retried'),
    ).toBe(true);
    expect(alerts()).toHaveLength(0);
  });
});

describe('awsPorts', () => {
  it('names the variable the stack should have set', () => {
    expect(() => awsPorts({ MURMUR_IDEMPOTENCY_TABLE: 't' })).toThrow('MURMUR_BUS_NAME is not set');
    expect(() => awsPorts({ MURMUR_BUS_NAME: 'murmur' })).toThrow('MURMUR_IDEMPOTENCY_TABLE is not set');
  });

  it('gives no media store: alerting never needs one', async () => {
    const ports = awsPorts({ MURMUR_BUS_NAME: 'murmur', MURMUR_IDEMPOTENCY_TABLE: 't' });
    await expect(ports.blobs.get('x')).rejects.toThrow('alerting has no media store');
  });
});
