import type { TwitterApi } from 'twitter-api-v2';
import type { XAuthKind, XClients } from './client.js';
import { XConfigError } from './env.js';
import { XInputError } from './errors.js';

/*
 * X's v2 Webhooks and Account Activity endpoints. twitter-api-v2 1.29.1 has no typed
 * helpers for them, so they go through its generic `client.v2.get/post/put/delete`.
 * Auth follows X's docs: `/2/webhooks`, the subscription list, unsubscribe and replay are
 * OAuth 2.0 app-only; subscribing acts for a user (OAuth 1.0a user context).
 */

export interface XWebhook {
  id: string;
  url: string;
  valid: boolean;
  created_at: string;
}

export interface XSubscriptionList {
  application_id?: string;
  webhook_id: string;
  webhook_url?: string;
  subscriptions: { user_id: string }[];
}

export interface XReplayJob {
  job_id: string;
  created_at?: string;
}

const X_ID = /^[0-9]{1,19}$/;

/** X ids go into URL paths: anything but digits is refused before a request is made. */
export function assertXId(what: string, value: string): string {
  if (!X_ID.test(value)) throw new XInputError(`${what} "${value}" is not an X id (1 to 19 digits)`);
  return value;
}

/** `yyyymmddhhmm` in UTC, the format of replay's from_date/to_date (minute precision, truncated). */
export function formatReplayDate(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes())
  );
}

const NEEDS: Record<XAuthKind, string> = {
  app: 'X_BEARER_TOKEN (OAuth 2.0 app-only)',
  user: 'X_API_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (OAuth 1.0a user context)',
};

export class XAccountActivity {
  constructor(private readonly clients: XClients) {}

  private client(kind: XAuthKind, action: string): TwitterApi {
    const client = this.clients[kind];
    if (!client) throw new XConfigError(`X credentials missing: ${action} needs ${NEEDS[kind]}`);
    return client;
  }

  async registerWebhook(url: string): Promise<XWebhook> {
    const body = await this.client('app', 'registering a webhook').v2.post<{ data: XWebhook }>('webhooks', {
      url,
    });
    return body.data;
  }

  async listWebhooks(): Promise<XWebhook[]> {
    const body = await this.client('app', 'listing webhooks').v2.get<{ data?: XWebhook[] }>('webhooks');
    return body.data ?? [];
  }

  /** Asks X to re-run the CRC against the webhook's URL (X then marks it valid or not). */
  async validateWebhook(webhookId: string): Promise<{ attempted?: boolean; valid?: boolean }> {
    const id = assertXId('webhook id', webhookId);
    const body = await this.client('app', 'validating a webhook').v2.put<{
      data?: { attempted?: boolean; valid?: boolean };
    }>(`webhooks/${id}`);
    return body.data ?? {};
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    const id = assertXId('webhook id', webhookId);
    await this.client('app', 'deleting a webhook').v2.delete(`webhooks/${id}`);
  }

  /** The user whose access token the user-context client carries. */
  async me(): Promise<{ id: string; username: string }> {
    const { data } = await this.client('user', 'finding the authenticated account').v2.me();
    return { id: data.id, username: data.username };
  }

  /** Subscribes the user of X_ACCESS_TOKEN to the webhook's Account Activity. */
  async subscribe(webhookId: string): Promise<void> {
    const id = assertXId('webhook id', webhookId);
    await this.client('user', 'subscribing').v2.post(`account_activity/webhooks/${id}/subscriptions/all`);
  }

  async listSubscriptions(webhookId: string): Promise<XSubscriptionList> {
    const id = assertXId('webhook id', webhookId);
    const body = await this.client('app', 'listing subscriptions').v2.get<{
      data?: Partial<XSubscriptionList>;
    }>(`account_activity/webhooks/${id}/subscriptions/all/list`);
    return {
      ...body.data,
      webhook_id: body.data?.webhook_id ?? id,
      subscriptions: body.data?.subscriptions ?? [],
    };
  }

  async unsubscribe(webhookId: string, userId: string): Promise<void> {
    const id = assertXId('webhook id', webhookId);
    const user = assertXId('user id', userId);
    await this.client('app', 'unsubscribing').v2.delete(
      `account_activity/webhooks/${id}/subscriptions/${user}/all`,
    );
  }

  /** Asks X to re-deliver the webhook's activity in [from, to) (minute precision, UTC). */
  async replay(webhookId: string, from: Date, to: Date): Promise<XReplayJob> {
    const id = assertXId('webhook id', webhookId);
    const fromDate = formatReplayDate(from);
    const toDate = formatReplayDate(to);
    if (fromDate >= toDate) {
      throw new XInputError(
        `the replay window is empty: from ${from.toISOString()} is not before to ${to.toISOString()}`,
      );
    }
    const body = await this.client('app', 'requesting a replay').v2.post<
      { data?: XReplayJob } & Partial<XReplayJob>
    >(`account_activity/replay/webhooks/${id}/subscriptions/all`, undefined, {
      query: { from_date: fromDate, to_date: toDate },
    });
    // X's docs show both `{ data: { job_id, created_at } }` and a bare `{ job_id, created_at }`.
    const job = body.data ?? body;
    return { job_id: String(job.job_id), created_at: job.created_at };
  }
}
