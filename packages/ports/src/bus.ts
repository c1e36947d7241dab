import type { DetailOf, DetailType } from '@murmur/events';

/** One PutEvents entry. `time` defaults to now; `resources` to []. */
export interface PublishEntry<T extends DetailType = DetailType> {
  source: string;
  detailType: T;
  detail: DetailOf<T>;
  time?: Date;
  resources?: string[];
}

export interface PublishResult {
  /** Envelope ids, in entry order. */
  eventIds: string[];
}

/** What a handler sees of the bus: publish only. Resolves once the events are stored. */
export interface BusPort {
  publish(entries: PublishEntry | PublishEntry[]): Promise<PublishResult>;
}
