import type { HandlerContext } from '../context.js';
import { invalidParameter, resourceNotFound } from '../errors.js';
import { json, type Reply } from '../http-types.js';
import { compareIds } from '../ids.js';
import {
  decodePageToken,
  encodePageToken,
  invalidPageToken,
  type ParsedQuery,
  parseMaxResults,
  parseQuery,
  TWEET_EXPANSIONS,
} from '../query.js';
import { envelope, Includes, renderTweet } from '../render.js';
import type { EmulatedTweet, EmulatorState } from '../state.js';
import { checkId, renderContext } from './shared.js';

/** What every v2 tweet timeline (`/2/users/:id/mentions`, `/2/users/:id/tweets`) accepts. */
const TIMELINE_PARAMS = [
  'since_id',
  'until_id',
  'max_results',
  'pagination_token',
  'start_time',
  'end_time',
  'expansions',
  'tweet.fields',
  'user.fields',
  'media.fields',
  'place.fields',
  'poll.fields',
];

function parseTime(name: string, raw: string | undefined) {
  if (raw === undefined) return { ok: true as const, value: undefined };
  const value = Date.parse(raw);
  if (Number.isNaN(value) || !/^\d{4}-\d{2}-\d{2}T/.test(raw)) {
    return {
      ok: false as const,
      reply: invalidParameter(
        name,
        raw,
        `Invalid '${name}':'${raw}'. '${name}' must be a valid RFC3339 date-time`,
      ),
    };
  }
  return { ok: true as const, value };
}

export interface TimelineSpec {
  /** Parameters this timeline takes besides the common ones (e.g. `exclude`). */
  extraParams?: readonly string[];
  /**
   * The user's live tweets for this timeline, newest first, or a reply for a bad parameter of
   * its own.
   */
  select(state: EmulatorState, userId: string, query: ParsedQuery): EmulatedTweet[] | Reply;
}

/** Newest first, paged backwards in time; `since_id` bounds the page from below, as on X. */
export function tweetTimelinePage(ctx: HandlerContext, spec: TimelineSpec): Reply {
  const userId = ctx.params.id ?? '';
  const badId = checkId('id', userId);
  if (badId) return badId;
  const parsed = parseQuery(ctx.search, [...TIMELINE_PARAMS, ...(spec.extraParams ?? [])], TWEET_EXPANSIONS);
  if (!parsed.ok) return parsed.reply;
  const q = parsed.query;
  for (const name of ['since_id', 'until_id']) {
    const value = q.get(name);
    const bad = value === undefined ? undefined : checkId(name, value);
    if (bad) return bad;
  }
  const max = parseMaxResults(q.get('max_results'), 5, 100, 10);
  if (!max.ok) return max.reply;
  const start = parseTime('start_time', q.get('start_time'));
  if (!start.ok) return start.reply;
  const end = parseTime('end_time', q.get('end_time'));
  if (!end.ok) return end.reply;
  const token = q.get('pagination_token');
  const before = token === undefined ? undefined : decodePageToken(token);
  if (token !== undefined && (before === undefined || !/^\d+$/.test(before))) return invalidPageToken(token);

  const state = ctx.services.state;
  if (!state.users.has(userId))
    return json(200, envelope({ errors: [resourceNotFound('user', 'id', userId)] }));
  const selected = spec.select(state, userId, q);
  if (!Array.isArray(selected)) return selected;

  const sinceId = q.get('since_id');
  const untilId = q.get('until_id');
  const matching = selected.filter(
    (t) =>
      (sinceId === undefined || compareIds(t.id, sinceId) > 0) &&
      (untilId === undefined || compareIds(t.id, untilId) < 0) &&
      (before === undefined || compareIds(t.id, before) < 0) &&
      (start.value === undefined || t.createdAt >= start.value) &&
      (end.value === undefined || t.createdAt <= end.value),
  );
  const page = matching.slice(0, max.value);
  const render = renderContext(ctx, q);
  const includes = new Includes(render);
  for (const tweet of page) includes.forTweet(tweet);
  const first = page[0];
  const last = page[page.length - 1];
  const meta: Record<string, unknown> = { result_count: page.length };
  if (first && last) {
    meta.newest_id = first.id;
    meta.oldest_id = last.id;
    if (matching.length > page.length) meta.next_token = encodePageToken(last.id);
  }
  return json(
    200,
    envelope({
      data: page.length ? page.map((t) => renderTweet(t, render)) : undefined,
      includes,
      meta,
    }),
  );
}
