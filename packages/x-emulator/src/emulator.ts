import type { Server } from 'node:http';
import { TokenBindings } from './auth.js';
import type { Route, Services } from './context.js';
import { accountActivityRoutes } from './endpoints/account-activity.js';
import { dmRoutes } from './endpoints/dms.js';
import { followerRoutes } from './endpoints/followers.js';
import { mediaRoutes } from './endpoints/media.js';
import { mediaHostRoutes } from './endpoints/media-host.js';
import { mentionRoutes } from './endpoints/mentions.js';
import { timelineRoutes } from './endpoints/timeline.js';
import { tweetRoutes } from './endpoints/tweets.js';
import { userRoutes } from './endpoints/users.js';
import { webhookRoutes } from './endpoints/webhooks.js';
import type { RequestLogEntry } from './http-types.js';
import { type LoopbackAgent, loopbackAgent } from './loopback-agent.js';
import {
  DailyUserLimiter,
  type EndpointName,
  FailureQueue,
  type RateLimitConfig,
  RateLimiter,
} from './rate-limits.js';
import { Router } from './router.js';
import { close, createEmulatorServer, listen } from './server.js';
import {
  type Delivery,
  type DirectMessageInput,
  type EmulatedDmEvent,
  type EmulatedMedia,
  type EmulatedTweet,
  type EmulatedUser,
  type EmulatedWebhook,
  EmulatorState,
  type MentionInput,
  type ReplayJob,
  type TweetInput,
  type UserInput,
} from './state.js';
import { crcCheck, type DeliverOptions, type DeliveryResult, postSigned } from './webhooks.js';

export interface XEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The app's consumer secret: signs deliveries and checks CRC answers. */
  consumerSecret?: string;
  rateLimits?: Partial<Record<EndpointName, RateLimitConfig>>;
  /** 24-hour caps per user (e.g. `{ 'tweets.create': 17 }`, X's Free tier); none by default. */
  userDailyLimits?: Partial<Record<EndpointName, number>>;
  /** The clock for rate-limit windows, timestamps and replay windows. */
  now?: () => number;
  /** The authenticated user, added at start (otherwise the first added user). */
  me?: UserInput;
  /** check_after_secs reported while video/GIF uploads process (default 1; 0 = ready at FINALIZE). */
  mediaProcessingSecs?: number;
  /** Webhooks the app may register (X: 1 on Pro, 5+ on Enterprise). Default 5. */
  maxWebhooks?: number;
  /** Account Activity subscriptions across webhooks. Default 50. */
  maxSubscriptions?: number;
  appId?: string;
  appName?: string;
  /** How long a webhook may take to answer a CRC GET before it counts as failed. Default 3000 ms. */
  crcTimeoutMs?: number;
}

export const DEFAULT_CONSUMER_SECRET = 'x-emulator-consumer-secret';

const ROUTES: Route[] = [
  ...userRoutes,
  ...mentionRoutes,
  ...timelineRoutes,
  ...followerRoutes,
  ...tweetRoutes,
  ...mediaRoutes,
  ...dmRoutes,
  ...webhookRoutes,
  ...accountActivityRoutes,
  ...mediaHostRoutes,
];

/**
 * An X API v2 server on loopback, with in-memory state that tests seed and inspect.
 * Point twitter-api-v2 at it with `httpAgent: emulator.agent()`.
 */
export class XEmulator {
  readonly state: EmulatorState;
  readonly requests: RequestLogEntry[] = [];
  readonly consumerSecret: string;
  private readonly rateLimiter: RateLimiter;
  private readonly dailyLimits: DailyUserLimiter;
  private readonly failures = new FailureQueue();
  private readonly tokens = new TokenBindings();
  private readonly replays = new Map<string, Promise<ReplayJob>>();
  private readonly now: () => number;
  private server: Server | undefined;
  private boundPort = 0;

  private constructor(private readonly options: XEmulatorOptions) {
    this.now = options.now ?? Date.now;
    this.consumerSecret = options.consumerSecret ?? DEFAULT_CONSUMER_SECRET;
    this.state = new EmulatorState(this.now);
    this.rateLimiter = new RateLimiter(options.rateLimits ?? {}, this.now);
    this.dailyLimits = new DailyUserLimiter(options.userDailyLimits ?? {}, this.now);
    if (options.me) this.state.addUser(options.me);
  }

  static async start(options: XEmulatorOptions = {}): Promise<XEmulator> {
    const emulator = new XEmulator(options);
    const server = createEmulatorServer({
      router: new Router(ROUTES),
      rateLimiter: emulator.rateLimiter,
      dailyLimits: emulator.dailyLimits,
      failures: emulator.failures,
      tokens: emulator.tokens,
      services: emulator.services(),
      log: (entry) => emulator.requests.push(entry),
    });
    emulator.boundPort = await listen(server, options.port ?? 0, '127.0.0.1');
    emulator.server = server;
    return emulator;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.replays.values()]);
    if (this.server) await close(this.server);
    this.server = undefined;
  }

  /** An https.Agent that sends twitter-api-v2's requests here. */
  agent(): LoopbackAgent {
    return loopbackAgent(this.boundPort);
  }

  // --- seeding -------------------------------------------------------------------------

  addUser(input: UserInput): EmulatedUser {
    return this.state.addUser(input);
  }

  /** Who requests act as when their token is not bound to a user. */
  setAuthenticatedUser(ref: string): void {
    this.state.authenticatedUserId = this.state.requireUser(ref).id;
  }

  /** Makes a token (OAuth 1 access token or Bearer token) act as a user, or as the app (app-only). */
  bindToken(token: string, who: string | 'app'): void {
    this.tokens.bind(token, who === 'app' ? 'app' : this.state.requireUser(who).id);
  }

  /**
   * Every later request carrying this token (OAuth 1 access token or Bearer token) gets X's 401,
   * as when the user revokes the app or the token is regenerated.
   */
  revokeToken(token: string): void {
    this.tokens.revoke(token);
  }

  addTweet(input: TweetInput): EmulatedTweet {
    return this.state.addTweet(input);
  }

  /** A tweet that mentions `to` (default: the authenticated user); `@username` is prefixed if missing. */
  addMention(input: MentionInput): EmulatedTweet {
    return this.state.addMention(input);
  }

  /** Deletes a tweet the way its author would (it disappears from timelines and lookups). */
  deleteTweet(id: string): void {
    const tweet = this.state.tweets.get(id);
    if (!tweet) throw new Error(`unknown tweet ${id}`);
    tweet.deletedAt = this.now();
  }

  addFollower(userRef: string, followerRef: string): void {
    this.state.addFollower(userRef, followerRef);
  }

  removeFollower(userRef: string, followerRef: string): void {
    this.state.removeFollower(userRef, followerRef);
  }

  addDirectMessage(input: DirectMessageInput): EmulatedDmEvent {
    return this.state.addDirectMessage(input);
  }

  /** Gives a media-host photo path (`/media/<name>.jpg`) its size; payload builders call this. */
  registerImage(path: string, width: number, height: number): void {
    this.state.hostedImages.set(path, { width, height });
  }

  // --- inspection ----------------------------------------------------------------------

  /** Tweets created through `POST /2/tweets`, oldest first. */
  postedTweets(): EmulatedTweet[] {
    return this.state.postedTweets();
  }

  /** DMs sent through the API, oldest first. */
  sentDirectMessages(): EmulatedDmEvent[] {
    return this.state.sentDirectMessages();
  }

  /** Media uploaded through the API (with their bytes), oldest first. */
  uploadedMedia(): EmulatedMedia[] {
    return [...this.state.media.values()].filter((m) => m.data !== undefined || m.state === 'uploading');
  }

  webhooks(): EmulatedWebhook[] {
    return [...this.state.webhooks.values()];
  }

  subscriptions(webhookId: string): string[] {
    return [...(this.state.subscriptions.get(webhookId) ?? [])];
  }

  deliveries(): Delivery[] {
    return [...this.state.deliveries];
  }

  // --- failure injection and limits ----------------------------------------------------

  /** The next `count` calls of `endpoint` answer `status` (with X's body for it, or `body`). */
  failNext(endpoint: EndpointName, status: number, count = 1, body?: unknown): void {
    this.failures.push(endpoint, status, count, body);
  }

  setRateLimit(endpoint: EndpointName, config: RateLimitConfig): void {
    this.rateLimiter.configure(endpoint, config);
  }

  /** A 24-hour cap per user on `endpoint` (`x-user-limit-24hour-*`); `undefined` removes it. */
  setUserDailyLimit(endpoint: EndpointName, limit: number | undefined): void {
    this.dailyLimits.configure(endpoint, limit);
  }

  resetRateLimits(): void {
    this.rateLimiter.reset();
    this.dailyLimits.reset();
    this.failures.clear();
  }

  // --- Account Activity delivery -------------------------------------------------------

  /**
   * POSTs an Account Activity payload, signed like X signs it, to `options.url` or the
   * first valid registered webhook. Resolves with the webhook's answer; rejects only if
   * the webhook cannot be reached.
   */
  async deliver(payload: object, options: DeliverOptions = {}): Promise<DeliveryResult> {
    const url = options.url ?? [...this.state.webhooks.values()].find((w) => w.valid)?.url;
    if (!url) throw new Error('no valid webhook is registered; pass options.url');
    const rawBody = options.rawBody ?? JSON.stringify(payload);
    const at = this.now();
    const result = await postSigned(url, rawBody, this.consumerSecret, options);
    this.state.deliveries.push({
      url,
      webhookId: [...this.state.webhooks.values()].find((w) => w.url === url)?.id,
      payload,
      rawBody,
      at,
      status: result.status,
    });
    return result;
  }

  /** Resolves when a replay job has re-delivered its window and sent its completion event. */
  replayDone(jobId: string): Promise<ReplayJob> {
    const running = this.replays.get(jobId);
    if (!running) return Promise.reject(new Error(`unknown replay job ${jobId}`));
    return running;
  }

  private services(): Services {
    const emulator = this;
    return {
      state: this.state,
      get baseUrl() {
        return emulator.url;
      },
      consumerSecret: this.consumerSecret,
      mediaProcessingSecs: this.options.mediaProcessingSecs ?? 1,
      maxWebhooks: this.options.maxWebhooks ?? 5,
      maxSubscriptions: this.options.maxSubscriptions ?? 50,
      appId: this.options.appId ?? '28000000',
      appName: this.options.appName ?? 'murmur-emulated-app',
      now: this.now,
      crcCheck: (url) => crcCheck(url, this.consumerSecret, this.options.crcTimeoutMs ?? 3000),
      startReplay: (job) => {
        this.replays.set(job.jobId, this.runReplay(job));
      },
    };
  }

  /** Re-delivers, oldest first, what was delivered to the webhook inside the window, then the completion event. */
  private async runReplay(job: ReplayJob): Promise<ReplayJob> {
    const webhook = this.state.webhooks.get(job.webhookId);
    if (!webhook) {
      job.state = 'incomplete';
      return job;
    }
    const window = this.state.deliveries
      .filter(
        (d) =>
          d.replayJobId === undefined &&
          (d.webhookId === job.webhookId || d.url === webhook.url) &&
          d.at >= job.fromMs &&
          d.at < job.toMs,
      )
      .sort((a, b) => a.at - b.at);
    let failed = false;
    for (const original of window) {
      try {
        const result = await postSigned(webhook.url, original.rawBody, this.consumerSecret, {});
        this.state.deliveries.push({
          ...original,
          at: this.now(),
          status: result.status,
          replayJobId: job.jobId,
        });
        if (result.status < 200 || result.status >= 300) failed = true;
        else job.delivered++;
      } catch {
        failed = true;
      }
    }
    job.state = failed ? 'incomplete' : 'complete';
    const completion = {
      replay_job_status: {
        webhook_id: job.webhookId,
        job_state: failed ? 'Incomplete' : 'Complete',
        job_state_description: failed
          ? 'Job failed to deliver all events, please retry your replay job'
          : 'Job completed successfully',
        job_id: job.jobId,
      },
    };
    const rawBody = JSON.stringify(completion);
    try {
      const result = await postSigned(webhook.url, rawBody, this.consumerSecret, {});
      this.state.deliveries.push({
        url: webhook.url,
        webhookId: webhook.id,
        payload: completion,
        rawBody,
        at: this.now(),
        status: result.status,
        replayJobId: job.jobId,
      });
    } catch {
      // The webhook went away; the job's state already says what happened.
    }
    return job;
  }
}
