import type { Headers, Reply } from './http-types.js';
import type { EndpointName } from './rate-limits.js';
import type { EmulatorState, ReplayJob } from './state.js';

/** Which credentials an endpoint accepts, as X documents it per endpoint. */
export type AuthRequirement = 'user' | 'app' | 'any' | 'none';

/**
 * Who is calling. The emulator does not verify OAuth signatures or tokens: it only needs
 * to know whether a request is authenticated at all, and as whom. Tokens bound with
 * `bindToken` act as that user or as the app; other tokens act as the authenticated user
 * (and, for Bearer tokens, may also call app-only endpoints).
 */
export interface Principal {
  scheme: 'oauth1' | 'bearer' | 'basic';
  token: string;
  kind: 'user' | 'app' | 'either';
  userId?: string;
}

export interface CrcResult {
  ok: boolean;
  reason?: string;
}

/** What handlers may use besides the request: state, clock, and outbound calls to webhooks. */
export interface Services {
  readonly state: EmulatorState;
  readonly baseUrl: string;
  readonly consumerSecret: string;
  /** check_after_secs for video/GIF processing; 0 makes uploads finish at FINALIZE. */
  readonly mediaProcessingSecs: number;
  readonly maxWebhooks: number;
  readonly maxSubscriptions: number;
  readonly appId: string;
  readonly appName: string;
  now(): number;
  crcCheck(url: string): Promise<CrcResult>;
  /** Starts re-delivering a replay job's window in the background. */
  startReplay(job: ReplayJob): void;
}

export interface HandlerContext {
  method: string;
  path: string;
  params: Record<string, string>;
  search: URLSearchParams;
  headers: Headers;
  rawBody: Buffer;
  principal: Principal | undefined;
  /** The acting user for user-context endpoints. */
  userId: string | undefined;
  services: Services;
}

export type Handler = (ctx: HandlerContext) => Reply | Promise<Reply>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: string;
  /** Null for routes outside X's API (the media host), which have no rate limit. */
  endpoint: EndpointName | null;
  auth: AuthRequirement;
  handle: Handler;
}
