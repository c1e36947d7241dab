import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidEventPatternError } from '@murmur/event-pattern';
import {
  type DeliveryContext,
  listDeadLetters,
  NonRetryableError,
  RetryLaterError,
  redriveDeadLetters,
} from '../src/index.js';
import { exampleEntry, FEW_RETRIES, functionRule, NO_RETRY, type TestBus, tempBus } from './helpers.js';

const RECEIVED = { 'detail-type': ['MESSAGE_RECEIVED'] };

describe('delivery', () => {
  let t: TestBus;
  beforeEach(() => {
    t = tempBus();
  });
  afterEach(() => t.cleanup());

  it('delivers a matching event to every target of every matching rule, and nothing else', async () => {
    // Prepare
    const got: string[] = [];
    const record = (name: string) => async (_input: unknown, ctx: DeliveryContext) => {
      got.push(`${name}:${ctx.event['detail-type']}`);
    };
    t.bus.putRule({
      name: 'received',
      eventPattern: RECEIVED,
      owner: 'test',
      targets: [
        { id: 'a', type: 'function', retryPolicy: NO_RETRY },
        { id: 'b', type: 'function', retryPolicy: NO_RETRY },
      ],
    });
    t.bus.putRule(functionRule('sent', { 'detail-type': ['TWEET_SENT'] }, NO_RETRY, { targetId: 'c' }));
    const d = t.dispatcher({ a: record('a'), b: record('b'), c: record('c') });
    d.start();

    // Act
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();

    // Assess
    expect(got.sort()).toEqual(['a:MESSAGE_RECEIVED', 'b:MESSAGE_RECEIVED']);
    expect(listDeadLetters(t.bus)).toEqual([]);
  });

  it('retries a failing target with backoff, then succeeds without a dead letter', async () => {
    const attempts: number[] = [];
    t.bus.putRule(functionRule('flaky', RECEIVED, FEW_RETRIES, { targetId: 'f' }));
    const d = t.dispatcher({
      f: async (_i, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 3) throw new Error('transient');
      },
    });
    d.start();
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();
    expect(attempts).toEqual([1, 2, 3]);
    expect(listDeadLetters(t.bus)).toEqual([]);
  });

  it('sends the event to the DLQ with the error after the retry budget, and redrive delivers it', async () => {
    let healthy = false;
    const delivered: string[] = [];
    t.bus.putRule(functionRule('broken', RECEIVED, FEW_RETRIES, { targetId: 'x' }));
    const d = t.dispatcher({
      x: async (_i, ctx) => {
        if (!healthy) throw new Error('target is down');
        delivered.push(ctx.event.id);
      },
    });
    d.start();
    const { eventIds } = await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();

    const [letter, ...rest] = listDeadLetters(t.bus);
    expect(rest).toEqual([]);
    expect(letter).toMatchObject({
      ruleName: 'broken',
      targetId: 'x',
      attempts: 3,
      error: 'Error: target is down',
    });
    expect(letter?.envelope.id).toBe(eventIds[0]);

    healthy = true;
    expect(redriveDeadLetters(t.bus)).toBe(1);
    await d.idle();
    expect(delivered).toEqual(eventIds);
    expect(listDeadLetters(t.bus)).toEqual([]);
    expect(listDeadLetters(t.bus, { includeRedriven: true })[0]?.redrivenAt).not.toBeNull();
  });

  it('redrive of an unknown dead-letter id fails and redrives nothing', async () => {
    expect(() => redriveDeadLetters(t.bus, [42])).toThrow(/no open dead letter with id 42/);
  });

  it('gives up when the next retry would pass the maximum event age', async () => {
    let skew = 0;
    await t.cleanup();
    t = tempBus({ now: () => Date.now() + skew });
    const attempts: number[] = [];
    t.bus.putRule({
      name: 'old',
      eventPattern: RECEIVED,
      owner: 'test',
      targets: [
        {
          id: 'o',
          type: 'function',
          retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 60 },
        },
      ],
    });
    const d = t.dispatcher({
      o: async (_i, ctx) => {
        attempts.push(ctx.attempt);
        skew += 25_000; // every attempt "takes" 25 s of bus time
        throw new Error('still down');
      },
    });
    d.start();
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();
    expect(attempts.length).toBeLessThanOrEqual(3);
    expect(listDeadLetters(t.bus)[0]?.error).toBe('Error: still down');
  });

  it('does not retry a NonRetryableError', async () => {
    let calls = 0;
    t.bus.putRule(functionRule('refuse', RECEIVED, FEW_RETRIES, { targetId: 'r' }));
    const d = t.dispatcher({
      r: async () => {
        calls++;
        throw new NonRetryableError('bad request');
      },
    });
    d.start();
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();
    expect(calls).toBe(1);
    expect(listDeadLetters(t.bus)[0]).toMatchObject({
      attempts: 1,
      error: 'NonRetryableError: bad request',
    });
  });

  it('honours RetryLaterError: no attempt before the requested delay', async () => {
    const times: number[] = [];
    t.bus.putRule(functionRule('later', RECEIVED, FEW_RETRIES, { targetId: 'l' }));
    const d = t.dispatcher({
      l: async (_i, ctx) => {
        times.push(Date.now());
        if (ctx.attempt === 1) throw new RetryLaterError('rate limited', 300);
      },
    });
    d.start();
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(290);
  });

  it('applies the target input transformer', async () => {
    const inputs: unknown[] = [];
    t.bus.putRule({
      name: 'shaped',
      eventPattern: RECEIVED,
      owner: 'test',
      targets: [
        {
          id: 's',
          type: 'function',
          retryPolicy: NO_RETRY,
          inputTransformer: {
            inputPathsMap: { text: '$.detail.text', type: '$.detail-type' },
            inputTemplate: '{"said": <text>, "kind": <type>, "rule": <aws.events.rule-name>}',
          },
        },
      ],
    });
    const d = t.dispatcher({ s: async (input) => void inputs.push(input) });
    d.start();
    const entry = exampleEntry('MESSAGE_RECEIVED', { text: 'hello "there"' });
    await t.bus.publish(entry);
    await d.idle();
    expect(inputs).toEqual([{ said: 'hello "there"', kind: 'MESSAGE_RECEIVED', rule: 'shaped' }]);
  });

  it('rejects a malformed pattern at rule creation and keeps working', async () => {
    expect(() =>
      t.bus.putRule({
        name: 'bad',
        eventPattern: { source: 'not-an-array' },
        owner: 'test',
        targets: [{ id: 'b', type: 'function', retryPolicy: NO_RETRY }],
      }),
    ).toThrow(InvalidEventPatternError);
    expect(() =>
      t.bus.putRule({
        name: 'bad',
        eventPattern: RECEIVED,
        owner: 'test',
        targets: [
          {
            id: 'b',
            type: 'function',
            retryPolicy: { maximumRetryAttempts: 500, maximumEventAgeInSeconds: 60 },
          },
        ],
      }),
    ).toThrow(/185/);
    expect(t.bus.listRules()).toEqual([]);
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    expect(t.bus.lastSeq()).toBe(1);
  });

  it('keeps deliveries for a function this process lacks, and dead-letters those of a deleted rule', async () => {
    t.bus.putRule(functionRule('elsewhere', RECEIVED, NO_RETRY, { targetId: 'missing' }));
    t.bus.putRule(functionRule('doomed', RECEIVED, NO_RETRY, { targetId: 'gone' }));
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    t.bus.deleteRule('doomed');
    const warnings: string[] = [];
    const d = t.dispatcher({}, { onWarning: (m) => warnings.push(m) });
    d.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(t.bus.pendingDeliveries()).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('no function "missing"')]);
    expect(listDeadLetters(t.bus)).toEqual([
      expect.objectContaining({ ruleName: 'doomed', error: 'rule or target no longer exists' }),
    ]);
  });

  it('lets only one dispatcher deliver for a home', async () => {
    const d1 = t.dispatcher({});
    d1.start();
    const d2 = t.dispatcher({});
    expect(() => d2.start()).toThrow(/another Murmur runtime \(pid \d+/);
  });
});
