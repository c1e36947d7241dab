import type { HandlerContext, Route } from '../context.js';
import { webhookFailure } from '../errors.js';
import { json, type Reply } from '../http-types.js';
import type { EmulatedWebhook, ReplayJob } from '../state.js';
import { actingUser, checkId, isReply } from './shared.js';

/*
 * Account Activity API v2: per-user subscriptions to a webhook, and replay jobs that
 * re-deliver a past window of activity to the webhook.
 */

function findWebhook(ctx: HandlerContext): EmulatedWebhook | Reply {
  const id = ctx.params.webhook_id ?? '';
  const bad = checkId('webhook_id', id);
  if (bad) return bad;
  return ctx.services.state.webhooks.get(id) ?? webhookFailure('WebhookIdInvalid');
}

function subscribers(ctx: HandlerContext, webhookId: string): Set<string> {
  const subscriptions = ctx.services.state.subscriptions;
  let set = subscriptions.get(webhookId);
  if (!set) {
    set = new Set();
    subscriptions.set(webhookId, set);
  }
  return set;
}

function totalSubscriptions(ctx: HandlerContext): number {
  let total = 0;
  for (const set of ctx.services.state.subscriptions.values()) total += set.size;
  return total;
}

function subscribe(ctx: HandlerContext): Reply {
  const webhook = findWebhook(ctx);
  if (isReply(webhook)) return webhook;
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  const set = subscribers(ctx, webhook.id);
  if (set.has(user.id)) return webhookFailure('DuplicateSubscriptionFailed');
  if (totalSubscriptions(ctx) >= ctx.services.maxSubscriptions)
    return webhookFailure('SubscriptionLimitExceeded');
  set.add(user.id);
  return json(200, { data: { subscribed: true } });
}

function check(ctx: HandlerContext): Reply {
  const webhook = findWebhook(ctx);
  if (isReply(webhook)) return webhook;
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  return json(200, { data: { subscribed: subscribers(ctx, webhook.id).has(user.id) } });
}

function list(ctx: HandlerContext): Reply {
  const webhook = findWebhook(ctx);
  if (isReply(webhook)) return webhook;
  return json(200, {
    data: {
      application_id: ctx.services.appId,
      webhook_id: webhook.id,
      webhook_url: webhook.url,
      subscriptions: [...subscribers(ctx, webhook.id)].map((userId) => ({ user_id: userId })),
    },
  });
}

function unsubscribe(ctx: HandlerContext): Reply {
  const webhook = findWebhook(ctx);
  if (isReply(webhook)) return webhook;
  const userId = ctx.params.user_id ?? '';
  const bad = checkId('user_id', userId);
  if (bad) return bad;
  const set = subscribers(ctx, webhook.id);
  if (!set.delete(userId)) return webhookFailure('SubscriptionNotFound');
  return json(200, { data: { subscribed: false } });
}

function count(ctx: HandlerContext): Reply {
  return json(200, {
    data: {
      account_name: ctx.services.appName,
      provisioned_count: String(ctx.services.maxSubscriptions),
      subscriptions_count_all: String(totalSubscriptions(ctx)),
      subscriptions_count_direct_messages: '0',
    },
  });
}

/** `yyyymmddhhmm` in UTC, minute precision. */
export function parseReplayDate(value: string | null): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  const date = new Date(ms);
  // Reject dates Date.UTC silently rolled over (e.g. month 13).
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h
    ? ms
    : undefined;
}

const REPLAY_HORIZON_MS = 5 * 24 * 60 * 60 * 1000;

async function replay(ctx: HandlerContext): Promise<Reply> {
  const webhook = findWebhook(ctx);
  if (isReply(webhook)) return webhook;
  const from = parseReplayDate(ctx.search.get('from_date'));
  const to = parseReplayDate(ctx.search.get('to_date'));
  const now = ctx.services.now();
  if (from === undefined || to === undefined) {
    return webhookFailure(
      'QueryParamInvalid',
      'from_date or to_date is not in the correct format (yyyymmddhhmm)',
    );
  }
  if (from >= to) return webhookFailure('QueryParamInvalid', 'from_date is more recent than to_date');
  if (from > now) return webhookFailure('QueryParamInvalid', 'from_date is in the future');
  if (to > now + 60_000) return webhookFailure('QueryParamInvalid', 'to_date is in the future');
  if (from < now - REPLAY_HORIZON_MS)
    return webhookFailure('QueryParamInvalid', 'from_date is older than 5 days');
  const running = [...ctx.services.state.replayJobs.values()].some(
    (j) => j.webhookId === webhook.id && j.state === 'running',
  );
  if (running) return webhookFailure('ReplayConflictError');
  // X runs a CRC before it replays.
  const crc = await ctx.services.crcCheck(webhook.url);
  if (!crc.ok) {
    webhook.valid = false;
    return webhookFailure('CrcValidationFailed', crc.reason);
  }
  const job: ReplayJob = {
    jobId: ctx.services.state.ids.take(),
    webhookId: webhook.id,
    fromMs: from,
    toMs: to,
    createdAt: now,
    state: 'running',
    delivered: 0,
  };
  ctx.services.state.replayJobs.set(job.jobId, job);
  ctx.services.startReplay(job);
  return json(200, { data: { job_id: job.jobId, created_at: new Date(now).toISOString() } });
}

const BASE = '/2/account_activity/webhooks/:webhook_id/subscriptions';

export const accountActivityRoutes: Route[] = [
  { method: 'POST', pattern: `${BASE}/all`, endpoint: 'aaa.subscribe', auth: 'user', handle: subscribe },
  { method: 'GET', pattern: `${BASE}/all`, endpoint: 'aaa.check', auth: 'user', handle: check },
  { method: 'GET', pattern: `${BASE}/all/list`, endpoint: 'aaa.list', auth: 'app', handle: list },
  {
    method: 'DELETE',
    pattern: `${BASE}/:user_id/all`,
    endpoint: 'aaa.unsubscribe',
    auth: 'app',
    handle: unsubscribe,
  },
  {
    method: 'GET',
    pattern: '/2/account_activity/subscriptions/count',
    endpoint: 'aaa.count',
    auth: 'app',
    handle: count,
  },
  {
    method: 'POST',
    pattern: '/2/account_activity/replay/webhooks/:webhook_id/subscriptions/all',
    endpoint: 'aaa.replay',
    auth: 'app',
    handle: replay,
  },
];
