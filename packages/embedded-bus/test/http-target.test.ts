import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { listDeadLetters } from '../src/index.js';
import { exampleEntry, FEW_RETRIES, type TestBus, tempBus } from './helpers.js';

describe('http targets (API destinations) against a real loopback server', () => {
  let t: TestBus;
  let server: Server;
  let url: string;
  let statuses: number[];
  let bodies: unknown[];
  beforeEach(async () => {
    t = tempBus();
    statuses = [];
    bodies = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push(JSON.parse(body));
        res.statusCode = statuses.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    await t.cleanup();
    await new Promise((r) => server.close(r));
  });

  function rule() {
    t.bus.putRule({
      name: 'hook',
      eventPattern: { 'detail-type': ['MESSAGE_RECEIVED'] },
      owner: 'cli',
      targets: [{ id: 'http', type: 'http', url, retryPolicy: FEW_RETRIES }],
    });
  }

  it('POSTs the event as JSON; 5xx is retried until 2xx', async () => {
    rule();
    statuses = [503, 500];
    const d = t.dispatcher({});
    d.start();
    const { eventIds } = await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();
    expect(bodies).toHaveLength(3);
    expect((bodies[2] as { id: string }).id).toBe(eventIds[0]);
    expect(listDeadLetters(t.bus)).toEqual([]);
  });

  it('a 4xx goes to the DLQ at once; a down server is retried then dead-lettered', async () => {
    rule();
    statuses = [404];
    const d = t.dispatcher({});
    d.start();
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();
    expect(bodies).toHaveLength(1);
    expect(listDeadLetters(t.bus)[0]).toMatchObject({
      attempts: 1,
      error: expect.stringContaining('HTTP 404'),
    });

    await new Promise((r) => server.close(r));
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();
    const letters = listDeadLetters(t.bus);
    expect(letters).toHaveLength(2);
    expect(letters[1]).toMatchObject({
      attempts: 3,
      error: expect.stringMatching(/fetch failed|ECONNREFUSED/),
    });
  });
});
