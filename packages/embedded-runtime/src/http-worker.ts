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
  /** One Int32, 1 while a `published` message is on its way to the host (see below). */
  publishedFlag: SharedArrayBuffer;
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
  // Nothing on the acknowledgement path waits inside SQLite: publishes yield while the
  // dispatcher holds the write lock, and the host's WalCheckpointer does the checkpoints.
  const bus = new EmbeddedBus({ path: data.home.busDb, lockWait: 'yield', autoCheckpoint: false });
  const idempotency = new SqliteIdempotencyStore(data.home.stateDb, Date.now, {
    lockWait: 'yield',
    autoCheckpoint: false,
  });
  const services = await loadServices(data.services);
  const server = await RuntimeHttpServer.listen({
    port: data.port,
    ...(data.host ? { host: data.host } : {}),
    routes: mountRoutes(services, { bus, idempotency, log }),
    log,
  });
  // Tell the dispatcher there is work now, instead of at its next poll. One message at a time:
  // the host clears the flag before it looks for work, so it also finds what came meanwhile.
  const published = new Int32Array(data.publishedFlag);
  bus.onWork(() => {
    if (Atomics.exchange(published, 0, 1) === 0) post({ type: 'published' });
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
