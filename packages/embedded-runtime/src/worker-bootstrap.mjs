// Worker threads do not inherit the TypeScript loader of the main thread (Node 20 applies
// `--import` hooks to the main thread only): register tsx here, then load the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
