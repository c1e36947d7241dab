import type { HandlerContext, Route } from '../context.js';
import { resourceNotFound } from '../errors.js';
import { json } from '../http-types.js';
import {
  decodePageToken,
  encodePageToken,
  invalidPageToken,
  parseMaxResults,
  parseQuery,
  USER_EXPANSIONS,
} from '../query.js';
import { envelope, renderUser } from '../render.js';
import { checkId, renderContext } from './shared.js';

const PARAMS = ['max_results', 'pagination_token', 'expansions', 'tweet.fields', 'user.fields'];

/** Most recent follower first, like X; tokens carry an offset into that list. */
function followers(ctx: HandlerContext) {
  const id = ctx.params.id ?? '';
  const bad = checkId('id', id);
  if (bad) return bad;
  const parsed = parseQuery(ctx.search, PARAMS, USER_EXPANSIONS);
  if (!parsed.ok) return parsed.reply;
  const max = parseMaxResults(parsed.query.get('max_results'), 1, 1000, 100);
  if (!max.ok) return max.reply;
  const token = parsed.query.get('pagination_token');
  const decoded = token === undefined ? '0' : decodePageToken(token);
  if (token !== undefined && (decoded === undefined || !/^\d+$/.test(decoded)))
    return invalidPageToken(token);
  const offset = Number(decoded);

  const state = ctx.services.state;
  if (!state.users.has(id)) return json(200, envelope({ errors: [resourceNotFound('user', 'id', id)] }));
  const all = [...(state.followers.get(id) ?? [])].reverse();
  const page = all.slice(offset, offset + max.value);
  const render = renderContext(ctx, parsed.query);
  const meta: Record<string, unknown> = { result_count: page.length };
  if (offset + page.length < all.length) meta.next_token = encodePageToken(String(offset + page.length));
  if (offset > 0) meta.previous_token = encodePageToken(String(Math.max(0, offset - max.value)));
  const data = page.flatMap((followerId) => {
    const user = state.users.get(followerId);
    return user ? [renderUser(user, render)] : [];
  });
  return json(200, envelope({ data: data.length ? data : undefined, meta }));
}

export const followerRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/2/users/:id/followers',
    endpoint: 'users.followers',
    auth: 'any',
    handle: followers,
  },
];
