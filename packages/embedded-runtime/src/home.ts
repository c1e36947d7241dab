import { join, resolve } from 'node:path';

/** Where one runtime keeps all its state; two runtimes with different homes share nothing. */
export interface MurmurHome {
  root: string;
  busDb: string;
  /** Services' own state: idempotency records, checkpoints. */
  stateDb: string;
  logs: string;
  /** Blobs (downloaded media, annotated images): the local S3. */
  media: string;
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): MurmurHome {
  const root = resolve(cwd, env.MURMUR_HOME && env.MURMUR_HOME.length > 0 ? env.MURMUR_HOME : '.murmur');
  return {
    root,
    busDb: join(root, 'bus.db'),
    stateDb: join(root, 'state.db'),
    logs: join(root, 'logs'),
    media: join(root, 'media'),
  };
}
