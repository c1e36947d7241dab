// Worker threads do not inherit the TypeScript loader of the main thread (Node 20 applies
// `--import` hooks to the main thread only), and jest's transform never reaches them: register
// tsx here, then hand piscina the real handler.
import { register } from 'tsx/esm/api';

register();
const { default: handleVisionTask } = await import('./vision-worker.ts');

export default handleVisionTask;
