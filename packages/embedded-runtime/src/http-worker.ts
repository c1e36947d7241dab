// The HTTP server in a worker thread: acknowledging webhooks never waits behind the handlers
// the dispatcher runs on the main thread. Its own SQLite connections publish and claim; the
// main thread's dispatcher delivers.
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { type ConsoleLoggerOptions, consoleLogger } from './console-logger.js';
import type { MurmurHome } from './home.js';
import { RuntimeHttpServer } from './http-server.js';
import { SqliteIdempotencyStore } from './idempotency-store.js';
import { mountRoutes } from './routes.js';
import { loadServices, type ServicesModuleRef } from './services-module.js';

export interface HttpWorkerData {
  entry: string;
  home: MurmurHome;
  port: number;
  host?: string;
  services: ServicesModuleRef;
  log: Pick<ConsoleLoggerOptions, 'level' | 'format'>;
}

export type HttpWorkerMessage =
  | { type: 'listening'; url: string }
  | { type: 'published' }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

const data = workerData as HttpWorkerData;
const port = parentPort!;
const post = (message: HttpWorkerMessage) => port.postMessage(message);

try {
  const log = consoleLogger(
    { ...data.log, write: (line) => process.stderr.write(`${line}\n`) },
    { thread: 'http' },
  );
  const bus = new EmbeddedBus({ path: data.home.busDb });
  const idempotency = new SqliteIdempotencyStore(data.home.stateDb);
  const services = await loadServices(data.services);
  const server = await RuntimeHttpServer.listen({
    port: data.port,
    ...(data.host ? { host: data.host } : {}),
    routes: mountRoutes(services, { bus, idempotency, log }),
    log,
  });
  // Tell the dispatcher there is work now, instead of at its next poll (at most one message per tick).
  let told = false;
  bus.onWork(() => {
    if (told) return;
    told = true;
    setImmediate(() => {
      told = false;
      post({ type: 'published' });
    });
  });
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'stop') return;
    void server.close().then(() => {
      bus.close();
      idempotency.close();
      post({ type: 'stopped' });
    });
  });
  post({ type: 'listening', url: server.url });
} catch (error) {
  post({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
}
