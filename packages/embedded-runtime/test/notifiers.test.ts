// Notification targets on the embedded runtime: a topic fans out to notifiers, each its own bus
// target. Unit tests of the planning and the webhook body, then a real runtime delivering to the
// console and to real HTTP servers on loopback standing in for Slack and Discord.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  applyInputTransformer,
  EmbeddedBus,
  listDeadLetters,
  redriveDeadLetters,
} from '@murmur/embedded-bus';
import { loadExamples } from '@murmur/events';
import { defineService, type NotificationTarget, type ServiceDeclaration } from '@murmur/ports';
import {
  consoleLogger,
  EmbeddedRuntime,
  installPlan,
  type MurmurHome,
  type NotifiersByTopic,
  notifierTargets,
  planServices,
  resolveHome,
  webhookInputTransformer,
} from '../src/index.js';

const RETRY = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 };
const MESSAGE = {
  inputPathsMap: { who: '$.detail.author.screenName', text: '$.detail.text' },
  inputTemplate: 'New message from @<who>: <text>',
};
const CTX = {
  ruleName: 'r',
  ruleArn: 'arn:aws:events:local:000000000000:rule/r',
  ingestionTime: '2026-01-01T00:00:00Z',
};

const received = loadExamples().find((e) => e.valid && e.detailType === 'MESSAGE_RECEIVED')!.envelope;

/** A service telling the topic `people` about every MESSAGE_RECEIVED. */
function tellingService(target: Partial<NotificationTarget> = {}): ServiceDeclaration {
  return defineService({
    name: 'alerting',
    source: 'murmur.alerting',
    description: 'test: tells people about received messages',
    publishes: [],
    archives: [],
    subscriptions: [
      {
        ruleName: 'tell-people',
        description: 'MESSAGE_RECEIVED -> people',
        eventPattern: { 'detail-type': ['MESSAGE_RECEIVED'] },
        targets: [
          { kind: 'notification', topic: 'people', retryPolicy: RETRY, inputTransformer: MESSAGE, ...target },
        ],
      },
    ],
    handlers: {},
  });
}

describe('notifierTargets', () => {
  const target: NotificationTarget = { kind: 'notification', topic: 'people', inputTransformer: MESSAGE };

  it('gives a topic nobody configured the console', () => {
    expect(notifierTargets(target, {}, RETRY)).toEqual([
      {
        target: {
          id: 'notify.people.console',
          type: 'function',
          retryPolicy: RETRY,
          inputTransformer: MESSAGE,
        },
        function: { id: 'notify.people.console', topic: 'people' },
      },
    ]);
  });

  it('makes each webhook an http target of its own, with the retries and a chat body', () => {
    // Act
    const planned = notifierTargets(
      target,
      {
        people: [
          { kind: 'console' },
          { kind: 'webhook', url: 'https://hooks.slack.com/services/T/B/x' },
          { kind: 'webhook', url: 'https://discord.com/api/webhooks/1/y' },
        ],
      },
      RETRY,
    );
    // Assess
    expect(planned.map((p) => [p.target.id, p.target.type, p.target.retryPolicy])).toEqual([
      ['notify.people.console', 'function', RETRY],
      ['notify.people.webhook.1', 'http', RETRY],
      ['notify.people.webhook.2', 'http', RETRY],
    ]);
    expect(planned[1]!.target).toMatchObject({
      url: 'https://hooks.slack.com/services/T/B/x',
      inputTransformer: webhookInputTransformer(MESSAGE),
    });
  });

  it.each([
    [
      { people: [] },
      'topic people has no notifiers; give it the console, a webhook, or leave it out for the console',
    ],
    [
      { people: [{ kind: 'webhook', url: 'ftp://example.com/secret' }] },
      'topic people, notifier 1: url is not valid (kind console, or webhook with an http(s) url)',
    ],
    [{ people: [{ kind: 'pager' }] }, 'topic people, notifier 1: kind is not valid'],
    [{ people: [{ kind: 'console' }, { kind: 'console' }] }, 'topic people lists the console twice'],
  ])('refuses %j with the topic named and no URL printed', (notifiers, message) => {
    expect(() => notifierTargets(target, notifiers as unknown as NotifiersByTopic, RETRY)).toThrow(message);
  });

  it('refuses a topic whose target ids would pass the bus limit', () => {
    expect(() => notifierTargets({ ...target, topic: 'x'.repeat(60) }, {}, RETRY)).toThrow(
      /is over 64 characters \(the bus's limit\); use a shorter topic name/,
    );
  });
});

describe('webhookInputTransformer', () => {
  const event = {
    'detail-type': 'MESSAGE_RECEIVED',
    source: 'murmur.ingress',
    id: 'e-1',
    detail: { author: { screenName: 'g' }, text: 'she said "stop"\nthen <!channel> \\o/' },
  };

  it("puts the readable message in Slack's text and Discord's content, escaped, with no Discord pings", () => {
    // Act
    const body = applyInputTransformer(webhookInputTransformer(MESSAGE), event, CTX);
    // Assess
    const message = 'New message from @g: she said "stop"\nthen <!channel> \\o/';
    expect(body).toEqual({ text: message, content: message, allowed_mentions: { parse: [] } });
    expect(applyInputTransformer(MESSAGE, event, CTX)).toBe(message);
  });

  it('reads a JSON string template the same way', () => {
    const quoted = { ...MESSAGE, inputTemplate: '"From @<who>: \\"<text>\\""' };
    expect(applyInputTransformer(webhookInputTransformer(quoted), event, CTX)).toMatchObject({
      text: 'From @g: "she said "stop"\nthen <!channel> \\o/"',
    });
  });

  it('says what arrived when no transformer is declared', () => {
    expect(applyInputTransformer(webhookInputTransformer(undefined), event, CTX)).toMatchObject({
      content: 'MESSAGE_RECEIVED from murmur.ingress (event e-1)',
    });
  });

  it('refuses a JSON object template: a chat cannot read it', () => {
    expect(() =>
      webhookInputTransformer({ inputPathsMap: { t: '$.detail.text' }, inputTemplate: '{"t": <t>}' }),
    ).toThrow('a notification input template for webhooks must be text or one JSON string');
  });
});

describe('planServices with notification targets', () => {
  it('plans the console function and refuses a rule with more targets than EventBridge allows', () => {
    expect(planServices([tellingService()]).functions.map((f) => [f.id, f.kind])).toEqual([
      ['notify.people.console', 'consoleNotifier'],
    ]);
    const many = Array.from({ length: 5 }, (_, i) => ({
      kind: 'webhook' as const,
      url: `http://127.0.0.1:9/${i}`,
    }));
    expect(() =>
      planServices([tellingService()], { notifiers: { people: [{ kind: 'console' }, ...many] } }),
    ).toThrow(
      "rule tell-people: 6 targets once its topics' notifiers are counted; a rule takes at most 5 (EventBridge's limit): configure fewer webhooks",
    );
  });
});

describe('installPlan addOnly', () => {
  it('adds missing rules but never rewrites or removes what a runtime installed', () => {
    // Prepare: the runtime's plan with a webhook, then a command's plan without it
    const dir = mkdtempSync(join(tmpdir(), 'murmur-plan-'));
    const bus = new EmbeddedBus({ path: join(dir, 'bus.db') });
    // listRules reads what is stored (getRule answers from a cache).
    const targetsOf = () =>
      bus
        .listRules()
        .find((r) => r.name === 'tell-people')
        ?.targets.map((t) => t.id);
    try {
      const withWebhook = {
        people: [{ kind: 'console' as const }, { kind: 'webhook' as const, url: 'http://127.0.0.1:9/' }],
      };
      installPlan(bus, planServices([tellingService()], { notifiers: withWebhook }));
      // Act
      const removed = installPlan(bus, planServices([tellingService()]), { addOnly: true });
      // Assess
      expect(removed).toEqual([]);
      expect(targetsOf()).toEqual(['notify.people.console', 'notify.people.webhook.1']);
      installPlan(bus, planServices([tellingService()]));
      expect(targetsOf()).toEqual(['notify.people.console']);
    } finally {
      bus.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Hook {
  server: Server;
  url: string;
  bodies: { contentType: string | undefined; body: unknown }[];
  status: number;
}

/** A webhook on loopback answering `status` (changeable), keeping what it was sent. */
async function webhook(): Promise<Hook> {
  const hook = { bodies: [], status: 200 } as unknown as Hook;
  hook.server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hook.bodies.push({
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      res.writeHead(hook.status).end(hook.status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hooks/secret-path`;
  return hook;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('an EmbeddedRuntime with notifiers', () => {
  let home: MurmurHome;
  let runtime: EmbeddedRuntime | undefined;
  let lines: string[];
  const servers: Server[] = [];

  beforeEach(() => {
    home = resolveHome({ MURMUR_HOME: mkdtempSync(join(tmpdir(), 'murmur-home-')) });
    lines = [];
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    for (const s of servers.splice(0)) if (s.listening) await close(s);
    rmSync(home.root, { recursive: true, force: true });
  });

  const start = (notifiers: NotifiersByTopic) =>
    EmbeddedRuntime.start({
      home,
      services: [tellingService()],
      notifiers,
      log: consoleLogger({ level: 'warn', write: (line) => lines.push(line) }),
      dispatcher: { pollMs: 5, backoff: { baseMs: 1, maxMs: 5, jitter: 0 } },
    });
  const publish = () =>
    runtime!.bus.publish({
      source: received.source,
      detailType: 'MESSAGE_RECEIVED',
      detail: received.detail as never,
    });
  const readable = `New message from @${(received.detail as { author: { screenName: string } }).author.screenName}: ${(received.detail as { text: string }).text}`;

  it('prints the readable message and posts it to each webhook as JSON', async () => {
    // Prepare
    const slack = await webhook();
    const discord = await webhook();
    servers.push(slack.server, discord.server);
    runtime = await start({
      people: [
        { kind: 'console' },
        { kind: 'webhook', url: slack.url },
        { kind: 'webhook', url: discord.url },
      ],
    });
    // Act
    await publish();
    await runtime.dispatcher.idle();
    // Assess
    expect(lines.filter((l) => l.includes(readable))).toHaveLength(1);
    expect(lines.find((l) => l.includes(readable))).toMatch(/ WARN .* service=alerting topic=people$/);
    for (const hook of [slack, discord]) {
      expect(hook.bodies).toEqual([
        {
          contentType: 'application/json',
          body: { text: readable, content: readable, allowed_mentions: { parse: [] } },
        },
      ]);
    }
  });

  it('keeps a delivery to a webhook that is down in the DLQ after its retries, while the console still gets it', async () => {
    // Prepare: a privileged port nothing listens on (no test's ephemeral port can be it)
    runtime = await start({
      people: [{ kind: 'console' }, { kind: 'webhook', url: 'http://127.0.0.1:9/hooks/secret-path' }],
    });
    // Act
    await publish();
    await runtime.dispatcher.idle();
    // Assess
    expect(lines.filter((l) => l.includes(readable))).toHaveLength(1);
    const dead = listDeadLetters(runtime.bus);
    expect(dead.map((d) => [d.ruleName, d.targetId, d.attempts, d.error])).toEqual([
      ['tell-people', 'notify.people.webhook.1', RETRY.maximumRetryAttempts + 1, 'TypeError: fetch failed'],
    ]);
    expect(dead[0]!.envelope.detail).toEqual(received.detail);
    // The DLQ notice names the target, never the URL (it is a secret).
    const notice = lines.find((l) => l.includes('delivery failed for good'));
    expect(notice).toContain('targetId=notify.people.webhook.1');
    expect(lines.join('\n')).not.toContain('secret-path');
  });

  it('retries a webhook that answers 500, dead-letters it, and delivers it on redrive once the webhook is back', async () => {
    // Prepare
    const hook = await webhook();
    servers.push(hook.server);
    hook.status = 500;
    runtime = await start({ people: [{ kind: 'webhook', url: hook.url }] });
    // Act: down for every attempt
    await publish();
    await runtime.dispatcher.idle();
    // Assess
    expect(hook.bodies).toHaveLength(RETRY.maximumRetryAttempts + 1);
    const [dead] = listDeadLetters(runtime.bus);
    expect(dead?.error).toBe(`Error: HTTP 500 from ${new URL(hook.url).origin}`);
    // Act: back up, then redrive
    hook.status = 200;
    hook.bodies.length = 0;
    expect(redriveDeadLetters(runtime.bus)).toBe(1);
    await runtime.dispatcher.idle();
    // Assess
    expect(hook.bodies.map((b) => b.body)).toEqual([
      { text: readable, content: readable, allowed_mentions: { parse: [] } },
    ]);
    expect(listDeadLetters(runtime.bus)).toEqual([]);
  });

  it('refuses to start with a bad notifier, having opened nothing', async () => {
    await expect(start({ people: [] })).rejects.toThrow('topic people has no notifiers');
    runtime = await start({});
    expect(
      runtime.bus
        .listRules()
        .find((r) => r.name === 'tell-people')
        ?.targets.map((t) => t.id),
    ).toEqual(['notify.people.console']);
  });
});
