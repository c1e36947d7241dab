import { currentDispatcher, EmbeddedBus } from '@murmur/embedded-bus';
import { installPlan, planServices } from '@murmur/embedded-runtime';
import { type CliIO, homeOf } from './io.js';
import { localServices } from './services.js';

/**
 * Opens this home's bus with the declared archives and rules in place, so an event put
 * before the first `murmur start` is still archived. Delivery is the runtime's job.
 */
export function openBus(io: CliIO): EmbeddedBus {
  const bus = new EmbeddedBus({ path: homeOf(io).busDb });
  try {
    // Add only: the running runtime installed its rules from its own environment (MURMUR_ALERT_*),
    // which this terminal may not share.
    installPlan(bus, planServices(localServices()), { addOnly: true });
  } catch (error) {
    bus.close();
    throw error;
  }
  return bus;
}

export async function withBus<T>(io: CliIO, fn: (bus: EmbeddedBus) => Promise<T> | T): Promise<T> {
  const bus = openBus(io);
  try {
    return await fn(bus);
  } finally {
    bus.close();
  }
}

/** Whether a runtime is delivering for this home (it holds the dispatcher lock). */
export function runtimeRunning(bus: EmbeddedBus): boolean {
  return currentDispatcher(bus.db) !== null;
}
