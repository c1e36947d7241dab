import { afterAll, describe, expect, it } from '@jest/globals';
import { cliHome } from './helpers.js';

describe('murmur events test-pattern (the TestEventPattern contract)', () => {
  const cli = cliHome();
  afterAll(() => cli.cleanup());
  const event = JSON.stringify({
    source: 'murmur.ingress',
    'detail-type': 'MESSAGE_RECEIVED',
    detail: { text: 'hi' },
  });

  it('prints true and exits 0 on a match', async () => {
    const r = await cli.run(
      'events',
      'test-pattern',
      '--pattern',
      '{"source":[{"prefix":"murmur."}]}',
      '--event',
      event,
    );
    expect(r).toMatchObject({ code: 0, out: ['true'] });
  });

  it('prints false and exits 0 on no match', async () => {
    const r = await cli.run(
      'events',
      'test-pattern',
      '--pattern',
      '{"detail":{"text":["bye"]}}',
      '--event',
      event,
    );
    expect(r).toMatchObject({ code: 0, out: ['false'] });
  });

  it('prints the reason and exits 2 on an invalid pattern', async () => {
    const r = await cli.run(
      'events',
      'test-pattern',
      '--pattern',
      '{"source":"murmur.ingress"}',
      '--event',
      event,
    );
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toMatch(/source/);
  });

  it('exits 2 on a pattern that is not JSON', async () => {
    const r = await cli.run('events', 'test-pattern', '--pattern', '{nope', '--event', event);
    expect(r.code).toBe(2);
  });

  it('fails cleanly on an event that is not JSON', async () => {
    const r = await cli.run('events', 'test-pattern', '--pattern', '{"source":["x"]}', '--event', '[1');
    expect(r.code).toBe(1);
    expect(r.err.join()).toMatch(/--event is not valid JSON/);
  });
});
