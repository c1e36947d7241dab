// Notification topics on one machine. On AWS a topic is SNS, fanning out to its subscriptions;
// here a topic fans out to notifiers: the console and chat webhooks. Each notifier is its own bus
// target, so each has its own retries and its own dead letters: a webhook that is down never
// holds back the console, and what it missed waits in the DLQ for a redrive.
import type { BusTarget, TargetFunction } from '@murmur/embedded-bus';
import type { InputTransformer, Logger, NotificationTarget, RetryPolicy } from '@murmur/ports';
import { z } from 'zod';

/** Where a topic's messages go locally. */
export type Notifier =
  /** A log line with the readable message (the runtime's logger, at `warn` so quiet logs keep it). */
  | { kind: 'console' }
  /** An HTTP POST of JSON that Slack and Discord incoming webhooks both accept. */
  | { kind: 'webhook'; url: string };

/** Topic name -> its notifiers. A topic left out gets `DEFAULT_NOTIFIERS`. */
export type NotifiersByTopic = Readonly<Record<string, readonly Notifier[]>>;

/** Nothing configured: every topic is at least printed, never silent. */
export const DEFAULT_NOTIFIERS: readonly Notifier[] = [{ kind: 'console' }];

/** EventBridge's (and the embedded bus's) limit on the targets of one rule. */
export const MAX_TARGETS_PER_RULE = 5;

const NotifierSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('console') }),
  z.strictObject({ kind: z.literal('webhook'), url: z.url({ protocol: /^https?$/ }) }),
]);

export class NotifierConfigError extends Error {
  override readonly name = 'NotifierConfigError';
}

/** A notifier's target, and the in-process function it needs (none for webhooks: the bus POSTs them). */
export interface NotifierTarget {
  target: BusTarget;
  function?: { id: string; topic: string };
}

/**
 * The bus targets of one notification target: one per notifier of its topic. Checked here so a
 * bad configuration fails `murmur start` with the topic named (and never echoes a webhook URL,
 * which is a secret: whoever has it can post to the channel).
 */
export function notifierTargets(
  target: NotificationTarget,
  notifiers: NotifiersByTopic,
  retryPolicy: RetryPolicy,
): NotifierTarget[] {
  const configured = Object.hasOwn(notifiers, target.topic) ? notifiers[target.topic]! : DEFAULT_NOTIFIERS;
  if (configured.length === 0) {
    throw new NotifierConfigError(
      `topic ${target.topic} has no notifiers; give it the console, a webhook, or leave it out for the console`,
    );
  }
  let webhooks = 0;
  let consoles = 0;
  return configured.map((notifier, index) => {
    const parsed = NotifierSchema.safeParse(notifier);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') || 'kind';
      throw new NotifierConfigError(
        `topic ${target.topic}, notifier ${index + 1}: ${field} is not valid (kind console, or webhook with an http(s) url)`,
      );
    }
    const base = {
      retryPolicy,
      ...(target.inputTransformer ? { inputTransformer: target.inputTransformer } : {}),
    };
    if (parsed.data.kind === 'console') {
      if (++consoles > 1) throw new NotifierConfigError(`topic ${target.topic} lists the console twice`);
      const id = targetId(target.topic, 'console');
      return { target: { ...base, id, type: 'function' }, function: { id, topic: target.topic } };
    }
    webhooks++;
    return {
      target: {
        id: targetId(target.topic, `webhook.${webhooks}`),
        type: 'http',
        url: parsed.data.url,
        retryPolicy,
        inputTransformer: webhookInputTransformer(target.inputTransformer),
      },
    };
  });
}

function targetId(topic: string, notifier: string): string {
  const id = `notify.${topic}.${notifier}`;
  if (id.length > 64) {
    throw new NotifierConfigError(
      `topic ${topic}: its local target id "${id}" is over 64 characters (the bus's limit); use a shorter topic name`,
    );
  }
  return id;
}

// ---- the messages ----

const PREDEFINED = new Set([
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
]);

/** Without a declared transformer a notification says what arrived. */
const WHAT_ARRIVED: InputTransformer = {
  inputPathsMap: { detailType: '$.detail-type', source: '$.source', id: '$.id' },
  inputTemplate: '<detailType> from <source> (event <id>)',
};

/**
 * The JSON body for chat webhooks, from the topic's declared transformer: its readable message as
 * Slack's `text` and Discord's `content` (each ignores the other's field), and no pings from
 * Discord (`allowed_mentions`), since the message quotes what strangers wrote. The declared
 * template must be text or one JSON string; its placeholders then sit inside JSON strings, where
 * the transformer escapes the values (quotes, newlines) as EventBridge does.
 */
export function webhookInputTransformer(declared: InputTransformer | undefined): InputTransformer {
  const source = declared ?? WHAT_ARRIVED;
  const known = (name: string) => PREDEFINED.has(name) || Object.hasOwn(source.inputPathsMap ?? {}, name);
  const message = stringTemplateBody(source.inputTemplate, known);
  return {
    ...(source.inputPathsMap ? { inputPathsMap: { ...source.inputPathsMap } } : {}),
    inputTemplate: `{"text": "${message}", "content": "${message}", "allowed_mentions": {"parse": []}}`,
  };
}

/**
 * The template as the inside of a JSON string: a text template escaped, a JSON string one
 * unwrapped, a lone placeholder as it is (its value is then written into the string).
 */
function stringTemplateBody(template: string, known: (name: string) => boolean): string {
  const lone = /^<([A-Za-z0-9_\-.]+)>$/.exec(template.trim());
  if (lone && known(lone[1]!)) return template.trim();
  // Placeholders become a JSON value, so a JSON template parses whether they sit in quotes or not.
  const probe = template.replace(/<([A-Za-z0-9_\-.]+)>/g, (whole, name: string) =>
    known(name) ? '0' : whole,
  );
  let parsed: unknown;
  let json = true;
  try {
    parsed = JSON.parse(probe);
  } catch {
    json = false;
  }
  if (!json) return JSON.stringify(template).slice(1, -1);
  if (typeof parsed === 'string') return template.trim().slice(1, -1);
  throw new NotifierConfigError(
    'a notification input template for webhooks must be text or one JSON string, not JSON of another kind',
  );
}

/** The console notifier: the readable message as one log line. */
export function consoleNotifier(log: Logger, topic: string): TargetFunction {
  const out = log.child({ topic });
  return async (input) => {
    out.warn(typeof input === 'string' ? input : JSON.stringify(input));
  };
}
