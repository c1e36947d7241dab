// Alert configuration from the environment: defaults, every variable, and every bad value
// refused with an error that names the variable (and never echoes a webhook URL).
import { describe, expect, it } from '@jest/globals';
import {
  ALERTS_TOPIC,
  AlertingConfigError,
  alertingConfigFromEnv,
  alertingConfigToEnv,
  alertNotifiersFromEnv,
  checkAlertingConfig,
  DEFAULT_ALERTING_CONFIG,
} from '../src/index.js';

const SLACK = 'https://hooks.slack.com/services/T000/B000/secretsecretsecret';
const DISCORD = 'https://discord.com/api/webhooks/123/secret-token';

/** The error `run` throws; fails the test when it does not throw. */
function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('alertingConfigFromEnv', () => {
  it('gives the defaults with nothing set (and for empty variables)', () => {
    expect(alertingConfigFromEnv({})).toEqual(DEFAULT_ALERTING_CONFIG);
    expect(alertingConfigFromEnv({ MURMUR_ALERT_KEYWORDS: '', MURMUR_ALERT_TOXICITY: ' ' })).toEqual(
      DEFAULT_ALERTING_CONFIG,
    );
  });

  it('reads every condition variable', () => {
    // Act
    const config = alertingConfigFromEnv({
      MURMUR_ALERT_TOXICITY: '0.75',
      MURMUR_ALERT_MODERATION: '80',
      MURMUR_ALERT_KEYWORDS: ' refund, never arrived ,refund',
      MURMUR_ALERT_AUTHORS: '@Grace_H, ada_l, id:783214',
    });
    // Assess
    expect(config).toEqual({
      toxicityThreshold: 0.75,
      moderationMinConfidence: 80,
      keywords: ['refund', 'never arrived'],
      watchedScreenNames: ['Grace_H', 'ada_l'],
      watchedAuthorIds: ['783214'],
    });
  });

  it('takes on and off (and true/false) for the toxicity and moderation switches', () => {
    expect(
      alertingConfigFromEnv({ MURMUR_ALERT_TOXICITY: 'off', MURMUR_ALERT_MODERATION: 'OFF' }),
    ).toMatchObject({
      toxicityThreshold: null,
      moderationMinConfidence: null,
    });
    expect(
      alertingConfigFromEnv({ MURMUR_ALERT_TOXICITY: 'on', MURMUR_ALERT_MODERATION: 'true' }),
    ).toMatchObject({
      toxicityThreshold: 0.5,
      moderationMinConfidence: 50,
    });
  });

  it.each([
    ['MURMUR_ALERT_TOXICITY', '0', /MURMUR_ALERT_TOXICITY: "0" is not on, off or a number more than 0/],
    ['MURMUR_ALERT_TOXICITY', '1.5', /MURMUR_ALERT_TOXICITY: "1.5" is not on, off or a number/],
    ['MURMUR_ALERT_TOXICITY', 'high', /MURMUR_ALERT_TOXICITY: "high"/],
    ['MURMUR_ALERT_TOXICITY', '-0.2', /MURMUR_ALERT_TOXICITY: "-0.2"/],
    [
      'MURMUR_ALERT_MODERATION',
      '101',
      /MURMUR_ALERT_MODERATION: "101" is not on, off or a number at least 0/,
    ],
    ['MURMUR_ALERT_MODERATION', '1e2', /MURMUR_ALERT_MODERATION: "1e2"/],
    ['MURMUR_ALERT_KEYWORDS', 'refund,*', /MURMUR_ALERT_KEYWORDS \(entry 2\): a keyword needs at least 2/],
    ['MURMUR_ALERT_KEYWORDS', 'ref*und', /MURMUR_ALERT_KEYWORDS \(entry 1\): a keyword cannot hold \*, \\/],
    ['MURMUR_ALERT_KEYWORDS', 'back\\slash', /MURMUR_ALERT_KEYWORDS \(entry 1\): a keyword cannot hold/],
    ['MURMUR_ALERT_KEYWORDS', 'x'.repeat(65), /MURMUR_ALERT_KEYWORDS \(entry 1\): a keyword has at most 64/],
    [
      'MURMUR_ALERT_AUTHORS',
      'g,not a name',
      /MURMUR_ALERT_AUTHORS \(entry 2\): "not a name" is not a screen name/,
    ],
    ['MURMUR_ALERT_AUTHORS', 'id:abc', /MURMUR_ALERT_AUTHORS \(entry 1\): "id:abc": id: takes an X user id/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    const error = errorOf(() => alertingConfigFromEnv({ [name]: value }));
    expect(error).toBeInstanceOf(AlertingConfigError);
    expect(error.message).toMatch(message);
  });

  it('refuses more than 20 keywords', () => {
    const keywords = Array.from({ length: 21 }, (_, i) => `word${i}`).join(',');
    expect(() => alertingConfigFromEnv({ MURMUR_ALERT_KEYWORDS: keywords })).toThrow(
      /^MURMUR_ALERT_KEYWORDS: at most 20 keywords$/,
    );
  });

  it('refuses keywords whose rule EventBridge would refuse as too long', () => {
    // Prepare: 20 long keywords, four spellings each, far over the 2048-character pattern quota
    const keywords = Array.from({ length: 20 }, (_, i) => `keyword number ${i} ${'x'.repeat(40)}`).join(',');
    // Act
    const error = errorOf(() => alertingConfigFromEnv({ MURMUR_ALERT_KEYWORDS: keywords }));
    // Assess
    expect(error.message).toMatch(
      /^MURMUR_ALERT_KEYWORDS \(keywords\): the alerting-keyword pattern would be \d+ characters; EventBridge takes at most 2048/,
    );
  });

  it('round-trips through the variables the AWS stack sets on its functions', () => {
    const config = {
      toxicityThreshold: 0.65,
      moderationMinConfidence: null,
      keywords: ['refund', 'never arrived'],
      watchedScreenNames: ['g'],
      watchedAuthorIds: ['2244994945'],
    };
    expect(alertingConfigFromEnv(alertingConfigToEnv(config))).toEqual(config);
    expect(alertingConfigFromEnv(alertingConfigToEnv(DEFAULT_ALERTING_CONFIG))).toEqual(
      DEFAULT_ALERTING_CONFIG,
    );
  });
});

describe('checkAlertingConfig', () => {
  it('names the bad field of a config given in code', () => {
    expect(() =>
      checkAlertingConfig({ ...DEFAULT_ALERTING_CONFIG, watchedAuthorIds: ['@g'] }, 'AlertingStack alerting'),
    ).toThrow(/^AlertingStack alerting: watchedAuthorIds\.0: expected an X id/);
    expect(() => checkAlertingConfig({ ...DEFAULT_ALERTING_CONFIG, toxicityThreshold: 0 })).toThrow(
      /toxicityThreshold: the toxicity threshold must be more than 0/,
    );
  });
});

describe('alertNotifiersFromEnv', () => {
  it('is the console alone by default', () => {
    expect(alertNotifiersFromEnv({})).toEqual({ [ALERTS_TOPIC]: [{ kind: 'console' }] });
  });

  it('adds each webhook after the console, or replaces the console when it is off', () => {
    expect(alertNotifiersFromEnv({ MURMUR_ALERT_WEBHOOKS: `${SLACK}, ${DISCORD}` })).toEqual({
      alerts: [{ kind: 'console' }, { kind: 'webhook', url: SLACK }, { kind: 'webhook', url: DISCORD }],
    });
    expect(alertNotifiersFromEnv({ MURMUR_ALERT_WEBHOOKS: SLACK, MURMUR_ALERT_CONSOLE: 'off' })).toEqual({
      alerts: [{ kind: 'webhook', url: SLACK }],
    });
  });

  it('refuses a webhook that is not an http(s) URL, naming the entry but never printing it', () => {
    const error = errorOf(() =>
      alertNotifiersFromEnv({ MURMUR_ALERT_WEBHOOKS: `${SLACK},ftp://files.example.com/secret-token` }),
    );
    expect(error).toBeInstanceOf(AlertingConfigError);
    expect(error.message).toBe('MURMUR_ALERT_WEBHOOKS (entry 2): is not an http(s) URL');
    expect(error.message).not.toContain('secret');
  });

  it('refuses more webhooks than a rule has targets for', () => {
    const five = Array.from({ length: 5 }, (_, i) => `https://hooks.example.com/${i}`).join(',');
    expect(() => alertNotifiersFromEnv({ MURMUR_ALERT_WEBHOOKS: five })).toThrow(
      /^MURMUR_ALERT_WEBHOOKS: 5 webhooks; at most 4 next to the console/,
    );
    expect(
      alertNotifiersFromEnv({ MURMUR_ALERT_WEBHOOKS: five, MURMUR_ALERT_CONSOLE: 'off' }).alerts,
    ).toHaveLength(5);
  });

  it('refuses a configuration that tells no one', () => {
    expect(() => alertNotifiersFromEnv({ MURMUR_ALERT_CONSOLE: 'off' })).toThrow(
      'MURMUR_ALERT_CONSOLE=off and no MURMUR_ALERT_WEBHOOKS: alerts would reach no one',
    );
  });

  it('refuses a console switch that is neither on nor off', () => {
    expect(() => alertNotifiersFromEnv({ MURMUR_ALERT_CONSOLE: 'maybe' })).toThrow(
      'MURMUR_ALERT_CONSOLE: must be on or off',
    );
  });
});
