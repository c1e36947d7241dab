import { Worker } from 'node:worker_threads';
import { WalCheckpointer } from '@murmur/embedded-bus';
import { consoleLogger } from './console-logger.js';
import type { HttpWorkerData, HttpWorkerMessage } from './http-worker.js';

/**
 * The main thread's handle on the HTTP worker. It also checkpoints the worker's databases,
 * which the worker never does itself: a checkpoint would stall its acknowledgements.
 */
export class HttpWorkerHost {
  private constructor(
    private readonly worker: Worker,
    readonly url: string,
    private readonly checkpointer: WalCheckpointer,
  ) {}

  static async start(
    data: Omit<HttpWorkerData, 'entry' | 'publishedFlag'>,
    onPublished: () => void,
  ): Promise<HttpWorkerHost> {
    const publishedFlag = new SharedArrayBuffer(4);
    const published = new Int32Array(publishedFlag);
    const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
      workerData: {
        ...data,
        entry: new URL('./http-worker.ts', import.meta.url).href,
        publishedFlag,
      } satisfies HttpWorkerData,
    });
    const url = await new Promise<string>((resolve, reject) => {
      worker.on('message', (message: HttpWorkerMessage) => {
        if (message.type === 'listening') resolve(message.url);
        else if (message.type === 'failed')
          reject(new Error(`HTTP worker failed to start: ${message.error}`));
        else if (message.type === 'published') {
          Atomics.store(published, 0, 0);
          onPublished();
        }
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`HTTP worker exited with code ${code}`)));
    });
    // The worker has created both files by the time it listens. A failed round is tried again
    // at the next one; it is logged because a WAL never folded back grows without end.
    const log = consoleLogger(data.log, { component: 'wal-checkpointer' });
    const checkpointer = new WalCheckpointer([data.home.busDb, data.home.stateDb], {
      onError: (error) => log.warn('checkpoint failed; trying again shortly', { error: String(error) }),
    });
    return new HttpWorkerHost(worker, url, checkpointer);
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      this.worker.on('message', (message: HttpWorkerMessage) => {
        if (message.type === 'stopped') resolve();
      });
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage({ type: 'stop' });
    await stopped;
    await this.worker.terminate();
    this.checkpointer.checkpoint();
    this.checkpointer.close();
  }
}
