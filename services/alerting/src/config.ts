// What raises an alert and where it goes, as configuration. Locally from the environment
// (`alertingConfigFromEnv`, `alertNotifiersFromEnv`); on AWS the stack takes the same
// `AlertingConfig` and hands it to its functions in the same variables.
import { ScreenNameSchema, XIdSchema } from '@murmur/events';
import { z } from 'zod';
import { alertConditions } from './conditions.js';
import { ALERTING_ENV, AlertingConfigError } from './variables.js';

export { ALERTING_ENV, AlertingConfigError };

export interface AlertingConfig {
  /** `toxic-text` when DetectToxicContent's `Toxicity` is at least this (0 < t <= 1); null: off. */
  toxicityThreshold: number | null;
  /** `image-moderation` when a photo has a moderation label at least this confident (0..100); null: off. */
  moderationMinConfidence: number | null;
  /** `keyword` when the text contains one of these (see docs/alerting.md for the case rules). */
  keywords: readonly string[];
  /** `watched-author` when the author has one of these screen names (any case, without @)... */
  watchedScreenNames: readonly string[];
  /** ...or one of these X user ids (screen names can change; ids cannot). */
  watchedAuthorIds: readonly string[];
}

export const DEFAULT_TOXICITY_THRESHOLD = 0.5;
/** Rekognition's own default MinConfidence for DetectModerationLabels. */
export const DEFAULT_MODERATION_MIN_CONFIDENCE = 50;

export const DEFAULT_ALERTING_CONFIG: AlertingConfig = {
  toxicityThreshold: DEFAULT_TOXICITY_THRESHOLD,
  moderationMinConfidence: DEFAULT_MODERATION_MIN_CONFIDENCE,
  keywords: [],
  watchedScreenNames: [],
  watchedAuthorIds: [],
};

/**
 * Characters a keyword may not hold: `*` and `\` are EventBridge wildcard syntax, `,` separates
 * keywords in the variable (the AWS functions get them that way too), controls are not text.
 */
const KEYWORD_FORBIDDEN = /[*\\,\p{Cc}]/u;

export const KeywordSchema = z
  .string()
  .trim()
  .min(2, 'a keyword needs at least 2 characters')
  .max(64, 'a keyword has at most 64 characters')
  .refine((k) => !KEYWORD_FORBIDDEN.test(k), 'a keyword cannot hold *, \\, a comma or control characters');

/** The config as data: checked wherever it comes from (environment, stack props). */
export const AlertingConfigSchema = z.strictObject({
  toxicityThreshold: z
    .number()
    .gt(0, 'the toxicity threshold must be more than 0')
    .max(1, 'the toxicity threshold is at most 1')
    .nullable(),
  moderationMinConfidence: z
    .number()
    .min(0, 'the moderation confidence is at least 0')
    .max(100, 'the moderation confidence is at most 100')
    .nullable(),
  keywords: z.array(KeywordSchema).max(20, 'at most 20 keywords'),
  watchedScreenNames: z.array(ScreenNameSchema).max(50, 'at most 50 watched screen names'),
  watchedAuthorIds: z.array(XIdSchema).max(50, 'at most 50 watched author ids'),
});

/** A config given in code (e.g. the AWS stack's props), checked; the error names the field. */
export function checkAlertingConfig(config: AlertingConfig, where = 'alerting config'): AlertingConfig {
  const parsed = AlertingConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AlertingConfigError(`${where}: ${issue.path.join('.') || '(config)'}: ${issue.message}`);
  }
  alertConditions(parsed.data);
  return parsed.data;
}

type Env = Record<string, string | undefined>;

function read<T>(env: Env, name: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const parsed = schema.safeParse(raw.trim());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length > 0 ? ` (entry ${Number(issue.path[0]) + 1})` : '';
    throw new AlertingConfigError(`${name}${at}: ${issue.message}`);
  }
  return parsed.data;
}

const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const ON = ['on', 'true'];
const OFF = ['off', 'false'];

/** `on` (the default value), `off`, or a number in [min, max]. */
function switchOrNumber(options: { on: number; min: number; minExclusive: boolean; max: number }) {
  const range = `${options.minExclusive ? 'more than' : 'at least'} ${options.min} and at most ${options.max}`;
  return z.string().transform((raw, ctx): number | null => {
    const value = raw.toLowerCase();
    if (ON.includes(value)) return options.on;
    if (OFF.includes(value)) return null;
    const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    const inRange = n <= options.max && (options.minExclusive ? n > options.min : n >= options.min);
    if (!inRange) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not on, off or a number ${range}` });
      return z.NEVER;
    }
    return n;
  });
}

const Authors = z.string().transform((raw, ctx) => {
  const names: string[] = [];
  const ids: string[] = [];
  list(raw).forEach((entry, index) => {
    if (entry.startsWith('id:')) {
      const id = entry.slice(3);
      if (XIdSchema.safeParse(id).success) ids.push(id);
      else
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `"${entry}": id: takes an X user id (digits)`,
        });
      return;
    }
    const name = entry.replace(/^@/, '');
    if (ScreenNameSchema.safeParse(name).success) names.push(name);
    else
      ctx.addIssue({
        code: 'custom',
        path: [index],
        message: `"${entry}" is not a screen name (letters, digits, _) or id:<user id>`,
      });
  });
  return { names: [...new Set(names)], ids: [...new Set(ids)] };
});

/**
 * The alert conditions from the environment; unset variables take the defaults.
 *
 * - `MURMUR_ALERT_TOXICITY`: `on` (0.5), `off`, or the threshold (0 < t <= 1)
 * - `MURMUR_ALERT_MODERATION`: `on` (50), `off`, or the minimum label confidence (0..100)
 * - `MURMUR_ALERT_KEYWORDS`: comma-separated keywords
 * - `MURMUR_ALERT_AUTHORS`: comma-separated screen names (`@` optional) and `id:<user id>`s
 *
 * A bad value throws an AlertingConfigError naming the variable.
 */
export function alertingConfigFromEnv(env: Env = process.env): AlertingConfig {
  const keywords = read(
    env,
    ALERTING_ENV.keywords,
    z.string().transform(list).pipe(z.array(KeywordSchema)),
    [] as string[],
  );
  const authors = read(env, ALERTING_ENV.authors, Authors, { names: [], ids: [] });
  const config: AlertingConfig = {
    toxicityThreshold: read(
      env,
      ALERTING_ENV.toxicity,
      switchOrNumber({ on: DEFAULT_TOXICITY_THRESHOLD, min: 0, minExclusive: true, max: 1 }),
      DEFAULT_TOXICITY_THRESHOLD,
    ),
    moderationMinConfidence: read(
      env,
      ALERTING_ENV.moderation,
      switchOrNumber({ on: DEFAULT_MODERATION_MIN_CONFIDENCE, min: 0, minExclusive: false, max: 100 }),
      DEFAULT_MODERATION_MIN_CONFIDENCE,
    ),
    keywords: [...new Set(keywords)],
    watchedScreenNames: authors.names,
    watchedAuthorIds: authors.ids,
  };
  const parsed = AlertingConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0]);
    const variable =
      field === 'keywords'
        ? ALERTING_ENV.keywords
        : field === 'watchedScreenNames' || field === 'watchedAuthorIds'
          ? ALERTING_ENV.authors
          : field === 'toxicityThreshold'
            ? ALERTING_ENV.toxicity
            : ALERTING_ENV.moderation;
    throw new AlertingConfigError(`${variable}: ${issue.message}`);
  }
  // Patterns EventBridge would refuse (too long) fail now, naming the variable.
  alertConditions(parsed.data);
  return parsed.data;
}

/** The same config as the variables `alertingConfigFromEnv` reads (the AWS stack sets them on its functions). */
export function alertingConfigToEnv(config: AlertingConfig): Record<string, string> {
  const authors = [...config.watchedScreenNames, ...config.watchedAuthorIds.map((id) => `id:${id}`)];
  return {
    [ALERTING_ENV.toxicity]: config.toxicityThreshold === null ? 'off' : String(config.toxicityThreshold),
    [ALERTING_ENV.moderation]:
      config.moderationMinConfidence === null ? 'off' : String(config.moderationMinConfidence),
    [ALERTING_ENV.keywords]: config.keywords.join(','),
    [ALERTING_ENV.authors]: authors.join(','),
  };
}

// ---- notifiers (local only) ----

/** The embedded runtime's notifier shape (`Notifier` in @murmur/embedded-runtime), kept structural here. */
export type AlertNotifier = { kind: 'console' } | { kind: 'webhook'; url: string };

/** A rule takes at most 5 targets (EventBridge's limit, the embedded bus's too): one per notifier. */
export const MAX_NOTIFIERS = 5;

const WebhookUrl = z.url({ protocol: /^https?$/, error: 'is not an http(s) URL' });

/**
 * The local notifiers of the `alerts` topic, for `EmbeddedRuntime`'s `notifiers` option:
 * `MURMUR_ALERT_CONSOLE` (`on` by default, or `off`) and `MURMUR_ALERT_WEBHOOKS` (comma-separated
 * Slack or Discord incoming-webhook URLs). Errors name the variable and the entry, never a URL:
 * a webhook URL is a secret.
 */
export function alertNotifiersFromEnv(env: Env = process.env): Record<string, AlertNotifier[]> {
  const consoleOn = read(
    env,
    ALERTING_ENV.console,
    z
      .string()
      .toLowerCase()
      .refine((v) => ON.includes(v) || OFF.includes(v), 'must be on or off')
      .transform((v) => ON.includes(v)),
    true,
  );
  const urls = read(
    env,
    ALERTING_ENV.webhooks,
    z
      .string()
      .transform(list)
      .pipe(z.array(WebhookUrl.transform((url) => url))),
    [] as string[],
  );
  const notifiers: AlertNotifier[] = [
    ...(consoleOn ? [{ kind: 'console' as const }] : []),
    ...urls.map((url) => ({ kind: 'webhook' as const, url })),
  ];
  if (notifiers.length === 0) {
    throw new AlertingConfigError(
      `${ALERTING_ENV.console}=off and no ${ALERTING_ENV.webhooks}: alerts would reach no one`,
    );
  }
  if (notifiers.length > MAX_NOTIFIERS) {
    throw new AlertingConfigError(
      `${ALERTING_ENV.webhooks}: ${urls.length} webhooks; at most ${MAX_NOTIFIERS - (consoleOn ? 1 : 0)} ` +
        `next to ${consoleOn ? 'the console' : 'nothing'} (a rule takes at most ${MAX_NOTIFIERS} targets)`,
    );
  }
  return { [ALERTS_TOPIC]: notifiers };
}

/** The notification topic of alerts: SNS on AWS, the notifiers above locally. */
export const ALERTS_TOPIC = 'alerts';
