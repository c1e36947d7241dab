import type { Principal } from './context.js';
import type { Headers } from './http-types.js';

/**
 * Reads who is calling from the Authorization header. Signatures and tokens are NOT
 * verified: the emulator trusts any well-formed header. Tests exercise Murmur's request
 * logic, not X's OAuth implementation, and twitter-api-v2 already signs requests
 * correctly; checking signatures would only tie tests to clock and nonce details.
 */
export class TokenBindings {
  private readonly bindings = new Map<string, string | 'app'>();
  private readonly revoked = new Set<string>();

  bind(token: string, who: string | 'app'): void {
    this.bindings.set(token, who);
  }

  /** From now on the token is refused with X's 401, as X does once a user revokes the app. */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  isRevoked(token: string): boolean {
    return this.revoked.has(token);
  }

  resolve(headers: Headers, defaultUserId: string | undefined): Principal | undefined {
    const header = headers.authorization;
    if (!header) return undefined;
    const oauth1 = /^OAuth\s+(.+)$/i.exec(header);
    if (oauth1) {
      const token = /oauth_token="([^"]*)"/.exec(oauth1[1] ?? '')?.[1];
      const consumer = /oauth_consumer_key="([^"]*)"/.exec(oauth1[1] ?? '')?.[1];
      if (!consumer) return undefined;
      if (!token) return { scheme: 'oauth1', token: decodeURIComponent(consumer), kind: 'app' };
      return this.principal('oauth1', decodeURIComponent(token), 'user', defaultUserId);
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer) return this.principal('bearer', bearer[1] as string, 'either', defaultUserId);
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (basic) return { scheme: 'basic', token: basic[1] as string, kind: 'app' };
    return undefined;
  }

  private principal(
    scheme: Principal['scheme'],
    token: string,
    unboundKind: Principal['kind'],
    defaultUserId: string | undefined,
  ): Principal {
    const bound = this.bindings.get(token);
    if (bound === 'app') return { scheme, token, kind: 'app' };
    if (bound) return { scheme, token, kind: 'user', userId: bound };
    return { scheme, token, kind: unboundKind, userId: defaultUserId };
  }
}
