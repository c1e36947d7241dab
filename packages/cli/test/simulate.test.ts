import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { consoleLogger, EmbeddedRuntime, resolveHome } from '@murmur/embedded-runtime';
import { resolveIngressConfig } from '../src/local-credentials.js';
import { localServices } from '../src/services.js';
import { cliHome } from './helpers.js';

describe('murmur simulate against a running runtime', () => {
  const cli = cliHome();
  let runtime: EmbeddedRuntime;
  beforeAll(async () => {
    // The runtime and simulate share the home, and so the generated development secret.
    const ingress = resolveIngressConfig(cli.env, resolveHome(cli.env).root);
    runtime = await EmbeddedRuntime.start({
      home: resolveHome(cli.env),
      // Ingress only: analysis of the simulated messages is tested in analysis.test.ts.
      services: localServices({ ingress: () => ingress.config }).filter((s) => s.name !== 'analysis'),
      log: consoleLogger({ level: 'error', write: () => {} }),
      http: { port: 0 },
    });
  });
  afterAll(async () => {
    await runtime.stop();
    cli.cleanup();
  });

  it('turns every payload kind into events, suppresses the duplicate and refuses the forgery', async () => {
    const result = await cli.run(
      'simulate',
      '--url',
      `${runtime.http!.url}/twitter`,
      '--media-url',
      'http://127.0.0.1:8788',
      '--json',
    );
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const rows = result.out.map(
      (l) => JSON.parse(l) as { kind: string; status: number; published: number; ok: boolean },
    );
    expect(rows.every((r) => r.ok)).toBe(true);
    expect(rows.find((r) => r.kind === 'duplicate delivery')).toMatchObject({ status: 200, published: 0 });
    expect(rows.find((r) => r.kind === 'forged signature')).toMatchObject({ status: 401 });

    const types = new Set(runtime.bus.eventsAfter(0).map((e) => e.envelope['detail-type']));
    for (const type of [
      'TWITTER_TWEETED',
      'TWITTER_DM_RECEIVED',
      'TWITTER_FAVOURITED',
      'TWITTER_FOLLOWED',
      'TWITTER_UNFOLLOWED',
      'TWITTER_DELETED',
      'TWITTER_PERMISSION_REVOKED',
      'MESSAGE_RECEIVED',
    ]) {
      expect(types).toContain(type);
    }
    // Mentions (text, negative, 4 with photos, truncated), a reply, a quote and a DM; never the bot's own tweet.
    const messages = runtime.bus
      .eventsAfter(0)
      .filter((e) => e.envelope['detail-type'] === 'MESSAGE_RECEIVED')
      .map((e) => e.envelope.detail as { kind: string; media: unknown[]; author: { id: string } });
    expect(messages).toHaveLength(11);
    expect(messages.map((m) => m.media.length).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    expect(messages.some((m) => m.author.id === '1500000000000000001')).toBe(false);
  });

  it('says clearly when no runtime is listening', async () => {
    const result = await cli.run('simulate', '--url', 'http://127.0.0.1:9/twitter');
    expect(result.code).toBe(1);
    expect(result.err.join()).toMatch(/cannot reach .* is `murmur start` running\?/);
  });
});
