import { z } from 'zod';
import { parseJsonBody } from '../body.js';
import type { HandlerContext, Route } from '../context.js';
import { webhookFailure } from '../errors.js';
import { json, type Reply } from '../http-types.js';
import { parseQuery } from '../query.js';
import type { EmulatedWebhook } from '../state.js';
import { checkId } from './shared.js';

/*
 * The v2 Webhooks API. Like X, registration and re-validation run a CRC against the URL
 * and refuse it when the answer is wrong. Unlike X, http:// and explicit ports are
 * accepted, because test webhooks listen on loopback.
 */

const CreateBody = z.strictObject({ url: z.string().min(1).max(200) });

const WEBHOOK_FIELDS = ['created_at', 'id', 'url', 'valid'];

export function renderWebhook(webhook: EmulatedWebhook, fields?: Set<string>) {
  const all = {
    created_at: new Date(webhook.createdAt).toISOString(),
    id: webhook.id,
    url: webhook.url,
    valid: webhook.valid,
  };
  if (!fields || fields.size === 0) return all;
  return Object.fromEntries(Object.entries(all).filter(([k]) => fields.has(k) || k === 'id'));
}

async function create(ctx: HandlerContext): Promise<Reply> {
  const body = parseJsonBody(ctx, CreateBody);
  if (!body.ok) return body.reply;
  const { url } = body.value;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return webhookFailure('UrlValidationFailed', 'The callback URL is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return webhookFailure('UrlValidationFailed', 'The callback URL must use https');
  }
  const state = ctx.services.state;
  if ([...state.webhooks.values()].some((w) => w.url === url)) return webhookFailure('DuplicateUrlFailed');
  if (state.webhooks.size >= ctx.services.maxWebhooks) return webhookFailure('WebhookLimitExceeded');
  const crc = await ctx.services.crcCheck(url);
  if (!crc.ok) return webhookFailure('CrcValidationFailed', crc.reason);
  const webhook: EmulatedWebhook = { id: state.ids.take(), url, valid: true, createdAt: ctx.services.now() };
  state.webhooks.set(webhook.id, webhook);
  return json(200, { data: renderWebhook(webhook) });
}

function list(ctx: HandlerContext): Reply {
  const search = new URLSearchParams(ctx.search);
  const fields = search.get('webhook_config.fields');
  search.delete('webhook_config.fields');
  const parsed = parseQuery(search, []);
  if (!parsed.ok) return parsed.reply;
  const wanted = new Set(fields ? fields.split(',') : []);
  for (const field of wanted) {
    if (!WEBHOOK_FIELDS.includes(field)) return webhookFailure('QueryParamInvalid', `unknown field ${field}`);
  }
  const webhooks = [...ctx.services.state.webhooks.values()];
  return json(200, {
    data: webhooks.map((w) => renderWebhook(w, wanted)),
    meta: { result_count: webhooks.length },
  });
}

function find(ctx: HandlerContext): EmulatedWebhook | Reply {
  const id = ctx.params.webhook_id ?? '';
  const bad = checkId('webhook_id', id);
  if (bad) return bad;
  return ctx.services.state.webhooks.get(id) ?? webhookFailure('WebhookIdInvalid');
}

/** PUT re-runs the CRC; a failure marks the webhook invalid, as X does. */
async function validate(ctx: HandlerContext): Promise<Reply> {
  const webhook = find(ctx);
  if ('status' in webhook) return webhook;
  const crc = await ctx.services.crcCheck(webhook.url);
  webhook.valid = crc.ok;
  if (!crc.ok) return webhookFailure('CrcValidationFailed', crc.reason);
  return json(200, { data: { attempted: true, valid: true } });
}

function remove(ctx: HandlerContext): Reply {
  const webhook = find(ctx);
  if ('status' in webhook) return webhook;
  ctx.services.state.webhooks.delete(webhook.id);
  ctx.services.state.subscriptions.delete(webhook.id);
  return json(200, { data: { deleted: true } });
}

export const webhookRoutes: Route[] = [
  { method: 'POST', pattern: '/2/webhooks', endpoint: 'webhooks.create', auth: 'app', handle: create },
  { method: 'GET', pattern: '/2/webhooks', endpoint: 'webhooks.list', auth: 'app', handle: list },
  {
    method: 'PUT',
    pattern: '/2/webhooks/:webhook_id',
    endpoint: 'webhooks.validate',
    auth: 'app',
    handle: validate,
  },
  {
    method: 'DELETE',
    pattern: '/2/webhooks/:webhook_id',
    endpoint: 'webhooks.delete',
    auth: 'app',
    handle: remove,
  },
];
