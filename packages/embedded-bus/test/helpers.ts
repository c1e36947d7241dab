import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DetailType, loadExamples } from '@murmur/events';
import type { PublishEntry } from '@murmur/ports';
import {
  Dispatcher,
  type DispatcherOptions,
  EmbeddedBus,
  type EmbeddedBusOptions,
  type TargetFunction,
} from '../src/index.js';

export interface TestBus {
  bus: EmbeddedBus;
  path: string;
  dir: string;
  dispatcher(functions: Record<string, TargetFunction>, options?: DispatcherOptions): Dispatcher;
  cleanup(): Promise<void>;
}

/** A real bus in a fresh SQLite file; tests get fast backoff unless they ask otherwise. */
export function tempBus(options: Partial<EmbeddedBusOptions> = {}): TestBus {
  const dir = mkdtempSync(join(tmpdir(), 'murmur-bus-'));
  const path = join(dir, 'bus.db');
  const bus = new EmbeddedBus({ path, ...options });
  const dispatchers: Dispatcher[] = [];
  return {
    bus,
    path,
    dir,
    dispatcher(functions, dispatcherOptions = {}) {
      const d = new Dispatcher(bus, {
        pollMs: 5,
        backoff: { baseMs: 5, maxMs: 40, jitter: 0 },
        ...dispatcherOptions,
        functions: new Map(Object.entries(functions)),
      });
      dispatchers.push(d);
      return d;
    },
    async cleanup() {
      for (const d of dispatchers) await d.stop();
      bus.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid catalog event of this detail-type, from @murmur/events' examples. */
export function exampleEntry<T extends DetailType>(
  detailType: T,
  detailPatch: Record<string, unknown> = {},
): PublishEntry<T> {
  const example = loadExamples().find((e) => e.valid && e.detailType === detailType);
  if (!example) throw new Error(`no valid example for ${detailType}`);
  return {
    source: example.envelope.source,
    detailType,
    detail: { ...example.envelope.detail, ...detailPatch } as never,
  };
}

/** A rule with one in-process function target whose id is `targetId` (default: the rule name). */
export function functionRule(
  name: string,
  eventPattern: Record<string, unknown>,
  retryPolicy: { maximumRetryAttempts: number; maximumEventAgeInSeconds: number },
  extra: {
    targetId?: string;
    inputTransformer?: { inputPathsMap?: Record<string, string>; inputTemplate: string };
  } = {},
) {
  const { targetId, ...target } = extra;
  return {
    name,
    eventPattern,
    owner: 'test',
    targets: [{ id: targetId ?? name, type: 'function' as const, retryPolicy, ...target }],
  };
}

export const NO_RETRY = { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 };
export const FEW_RETRIES = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 };
