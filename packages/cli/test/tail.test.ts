import { afterAll, describe, expect, it } from '@jest/globals';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { resolveHome } from '@murmur/embedded-runtime';
import { loadExamples } from '@murmur/events';
import { cliHome } from './helpers.js';

const detailOf = (name: string) =>
  loadExamples().find((e) => e.detailType === 'MESSAGE_RECEIVED' && e.name === name)!.envelope.detail;

describe('murmur events tail', () => {
  const cli = cliHome();
  afterAll(() => cli.cleanup());

  it('prints only new events matching the pattern, live, as they are published by another process', async () => {
    // Prepare: an event from before the tail starts must not be printed.
    await cli.run('events', 'put', '--example', 'MESSAGE_RECEIVED');
    const tail = cli.run(
      'events',
      'tail',
      '--json',
      '--count',
      '1',
      '--poll-ms',
      '10',
      '--pattern',
      '{"detail":{"kind":["mention"]}}',
    );

    // Act: another connection publishes a DM (filtered out) and then a mention.
    await new Promise((r) => setTimeout(r, 100));
    const bus = new EmbeddedBus({ path: resolveHome(cli.env).busDb });
    await bus.publish({
      source: 'murmur.ingress',
      detailType: 'MESSAGE_RECEIVED',
      detail: detailOf('valid-direct-message') as never,
    });
    const { eventIds } = await bus.publish({
      source: 'murmur.ingress',
      detailType: 'MESSAGE_RECEIVED',
      detail: detailOf('valid-mention-with-photos') as never,
    });
    bus.close();

    // Assess
    const result = await tail;
    expect(result.code).toBe(0);
    expect(result.out.map((l) => JSON.parse(l).id)).toEqual(eventIds);
  });

  it('--since replays recent history, and a bad pattern exits 2', async () => {
    const history = await cli.run('events', 'tail', '--since', '-5m', '--count', '2');
    expect(history.out).toHaveLength(2);
    expect(history.out[0]).toMatch(/murmur\.ingress {2}MESSAGE_RECEIVED/);
    const bad = await cli.run('events', 'tail', '--pattern', '{"detail":{"kind":"mention"}}');
    expect(bad.code).toBe(2);
  });
});
