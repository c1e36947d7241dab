import { Agent, type AgentOptions } from 'node:https';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * An https.Agent whose connections are plain TCP to 127.0.0.1:PORT. twitter-api-v2 has
 * no base-URL option and always calls `https.request` for api.x.com; handing it this agent
 * (`new TwitterApi(creds, { httpAgent: loopbackAgent(port) })`) sends every request, with
 * its real path, query and body, to the emulator instead. Only use it in tests or for
 * the emulator: TLS is skipped on purpose.
 */
export class LoopbackAgent extends Agent {
  constructor(
    readonly port: number,
    options: AgentOptions = {},
  ) {
    super({ keepAlive: true, ...options });
  }

  override createConnection(): Duplex {
    return connect({ host: '127.0.0.1', port: this.port });
  }
}

export function loopbackAgent(port: number, options?: AgentOptions): LoopbackAgent {
  return new LoopbackAgent(port, options);
}
