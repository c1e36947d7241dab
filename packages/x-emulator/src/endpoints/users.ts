import type { HandlerContext, Route } from '../context.js';
import { resourceNotFound } from '../errors.js';
import { json } from '../http-types.js';
import { parseQuery, USER_EXPANSIONS } from '../query.js';
import { envelope, renderUser } from '../render.js';
import { actingUser, checkId, isReply, renderContext } from './shared.js';

const PARAMS = ['expansions', 'tweet.fields', 'user.fields'];

function me(ctx: HandlerContext) {
  const parsed = parseQuery(ctx.search, PARAMS, USER_EXPANSIONS);
  if (!parsed.ok) return parsed.reply;
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  return json(200, envelope({ data: renderUser(user, renderContext(ctx, parsed.query)) }));
}

function byId(ctx: HandlerContext) {
  const id = ctx.params.id ?? '';
  const bad = checkId('id', id);
  if (bad) return bad;
  const parsed = parseQuery(ctx.search, PARAMS, USER_EXPANSIONS);
  if (!parsed.ok) return parsed.reply;
  const user = ctx.services.state.users.get(id);
  // A missing user is a 200 with a partial error in v2, not a 404.
  if (!user) return json(200, envelope({ errors: [resourceNotFound('user', 'id', id)] }));
  return json(200, envelope({ data: renderUser(user, renderContext(ctx, parsed.query)) }));
}

function byUsername(ctx: HandlerContext) {
  const username = ctx.params.username ?? '';
  const parsed = parseQuery(ctx.search, PARAMS, USER_EXPANSIONS);
  if (!parsed.ok) return parsed.reply;
  const user = ctx.services.state.userByUsername(username);
  if (!user) return json(200, envelope({ errors: [resourceNotFound('user', 'username', username)] }));
  return json(200, envelope({ data: renderUser(user, renderContext(ctx, parsed.query)) }));
}

export const userRoutes: Route[] = [
  { method: 'GET', pattern: '/2/users/me', endpoint: 'users.me', auth: 'user', handle: me },
  {
    method: 'GET',
    pattern: '/2/users/by/username/:username',
    endpoint: 'users.byUsername',
    auth: 'any',
    handle: byUsername,
  },
  { method: 'GET', pattern: '/2/users/:id', endpoint: 'users.lookup', auth: 'any', handle: byId },
];
