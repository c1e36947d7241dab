import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { BusPort, PublishEntry, PublishResult } from '@murmur/ports';

/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;

export class PutEventsFailedError extends Error {
  override readonly name = 'PutEventsFailedError';
}

/**
 * The bus port on AWS: PutEvents to the Murmur bus. Entries EventBridge reports as failed
 * (throttling, internal errors) are retried once; if any still fail, the call throws, so the
 * Lambda fails and its own retry policy takes over rather than losing events.
 */
export class EventBridgeBus implements BusPort {
  constructor(
    private readonly busName: string,
    private readonly client: EventBridgeClient = new EventBridgeClient({}),
  ) {}

  async publish(entries: PublishEntry | PublishEntry[]): Promise<PublishResult> {
    const all = Array.isArray(entries) ? entries : [entries];
    const eventIds: string[] = [];
    for (let i = 0; i < all.length; i += MAX_ENTRIES) {
      eventIds.push(...(await this.putChunk(all.slice(i, i + MAX_ENTRIES).map((e) => this.toEntry(e)))));
    }
    return { eventIds };
  }

  private toEntry(entry: PublishEntry): PutEventsRequestEntry {
    return {
      EventBusName: this.busName,
      Source: entry.source,
      DetailType: entry.detailType,
      Detail: JSON.stringify(entry.detail),
      ...(entry.time ? { Time: entry.time } : {}),
      ...(entry.resources ? { Resources: entry.resources } : {}),
    };
  }

  private async putChunk(entries: PutEventsRequestEntry[], retried = false): Promise<string[]> {
    const result = await this.client.send(new PutEventsCommand({ Entries: entries }));
    const ids: (string | undefined)[] = (result.Entries ?? []).map((e) => e.EventId);
    if (!result.FailedEntryCount) return ids as string[];
    const failed = entries.map((_, i) => i).filter((i) => !ids[i]);
    if (retried) {
      const reasons = failed.map(
        (i) => `${result.Entries?.[i]?.ErrorCode}: ${result.Entries?.[i]?.ErrorMessage}`,
      );
      throw new PutEventsFailedError(
        `${failed.length} of ${entries.length} events not accepted: ${reasons.join('; ')}`,
      );
    }
    const again = await this.putChunk(
      failed.map((i) => entries[i]!),
      true,
    );
    failed.forEach((index, k) => {
      ids[index] = again[k];
    });
    return ids as string[];
  }
}
