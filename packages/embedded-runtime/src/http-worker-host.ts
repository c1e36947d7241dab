import { Worker } from 'node:worker_threads';
import type { HttpWorkerData, HttpWorkerMessage } from './http-worker.js';

/** The main thread's handle on the HTTP worker. */
export class HttpWorkerHost {
  private constructor(
    private readonly worker: Worker,
    readonly url: string,
  ) {}

  static async start(data: Omit<HttpWorkerData, 'entry'>, onPublished: () => void): Promise<HttpWorkerHost> {
    const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
      workerData: {
        ...data,
        entry: new URL('./http-worker.ts', import.meta.url).href,
      } satisfies HttpWorkerData,
    });
    const url = await new Promise<string>((resolve, reject) => {
      worker.on('message', (message: HttpWorkerMessage) => {
        if (message.type === 'listening') resolve(message.url);
        else if (message.type === 'failed')
          reject(new Error(`HTTP worker failed to start: ${message.error}`));
        else if (message.type === 'published') onPublished();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`HTTP worker exited with code ${code}`)));
    });
    return new HttpWorkerHost(worker, url);
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
  }
}
