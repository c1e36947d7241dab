import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeBus, PutEventsFailedError } from '../src/index.js';

const eventBridge = mockClient(EventBridgeClient);
const entry = (n: number) => ({
  source: 'murmur.ingress',
  detailType: 'MESSAGE_RECEIVED' as const,
  detail: { n } as never,
});

describe('EventBridgeBus', () => {
  afterEach(() => {
    eventBridge.reset();
  });

  it('sends PutEvents in chunks of 10 to the named bus and returns the ids in order', async () => {
    let next = 0;
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map(() => ({ EventId: `id-${next++}` })),
    }));
    const bus = new EventBridgeBus('murmur', new EventBridgeClient({}));
    const result = await bus.publish(Array.from({ length: 23 }, (_, i) => entry(i)));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[0]!.args[0].input.Entries?.[0]).toEqual({
      EventBusName: 'murmur',
      Source: 'murmur.ingress',
      DetailType: 'MESSAGE_RECEIVED',
      Detail: '{"n":0}',
    });
    expect(result.eventIds).toEqual(Array.from({ length: 23 }, (_, i) => `id-${i}`));
  });

  it('retries the entries EventBridge failed once, then throws with the reasons', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    const bus = new EventBridgeBus('murmur', new EventBridgeClient({}));
    expect((await bus.publish([entry(1), entry(2)])).eventIds).toEqual(['a', 'b']);

    eventBridge.reset();
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    await expect(bus.publish(entry(3))).rejects.toThrow(PutEventsFailedError);
    await expect(bus.publish(entry(3))).rejects.toThrow(/1 of 1 events not accepted: InternalFailure: boom/);
  });
});
