import { Agent, type AgentOptions } from 'node:https';
import { connect, isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { XConfigError } from './env.js';

export interface LoopbackTarget {
  host: string;
  port: number;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

function isLoopbackHost(host: string): boolean {
  if (LOOPBACK_NAMES.has(host)) return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Checks `MURMUR_X_API_URL`: only `http://` on a loopback host (localhost, 127.0.0.0/8,
 * [::1]), with no path, query or credentials. Anything else would send signed requests
 * (and their OAuth headers) over plain TCP to another machine, so it is refused.
 */
export function parseLoopbackApiUrl(value: string): LoopbackTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new XConfigError('MURMUR_X_API_URL is not a URL (expected e.g. http://127.0.0.1:4010)');
  }
  if (url.protocol !== 'http:') {
    throw new XConfigError(
      `MURMUR_X_API_URL must use http:// on a loopback host (it points at a local X emulator), not ${url.protocol}//`,
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!isLoopbackHost(host)) {
    throw new XConfigError(
      `MURMUR_X_API_URL host ${url.hostname} is not loopback: only localhost, 127.0.0.0/8 and [::1] are allowed`,
    );
  }
  if (url.username || url.password) throw new XConfigError('MURMUR_X_API_URL must not contain credentials');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new XConfigError('MURMUR_X_API_URL must be a bare origin such as http://127.0.0.1:4010 (no path)');
  }
  return { host, port: url.port ? Number(url.port) : 80 };
}

/**
 * An https.Agent whose connections are plain TCP to a loopback host:port. twitter-api-v2
 * has no base-URL option and always calls `https.request` for api.x.com; with this agent
 * its requests (real paths, queries, bodies, OAuth headers) reach a local X emulator.
 * TLS is skipped on purpose, which is why the target must be loopback.
 */
export class LoopbackApiAgent extends Agent {
  readonly target: LoopbackTarget;

  constructor(target: LoopbackTarget, options: AgentOptions = {}) {
    // No keep-alive by default: a one-shot CLI command must not be held open by idle sockets.
    super({ keepAlive: false, ...options });
    if (!isLoopbackHost(target.host)) throw new XConfigError(`${target.host} is not a loopback host`);
    this.target = target;
  }

  override createConnection(): Duplex {
    return connect({ host: this.target.host, port: this.target.port });
  }
}
