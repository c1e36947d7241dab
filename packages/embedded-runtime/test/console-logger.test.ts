import { describe, expect, it } from '@jest/globals';
import { consoleLogger } from '../src/index.js';

describe('consoleLogger', () => {
  it('writes one JSON object per entry, with bound and given fields, its own keys winning', () => {
    const lines: string[] = [];
    const log = consoleLogger({ format: 'json', level: 'info', write: (l) => lines.push(l) }).child({
      service: 'ingress',
    });
    log.debug('not at info');
    log.error('poll failed', { message: 'X answered 503', level: 'spoofed' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'ERROR',
      message: 'poll failed',
      service: 'ingress',
    });
  });
});
