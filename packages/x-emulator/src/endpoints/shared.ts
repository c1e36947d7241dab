import type { HandlerContext } from '../context.js';
import { invalidParameter, problem } from '../errors.js';
import type { Reply } from '../http-types.js';
import { isNumericId } from '../ids.js';
import type { ParsedQuery } from '../query.js';
import type { RenderContext } from '../render.js';
import type { EmulatedUser } from '../state.js';

export function renderContext(ctx: HandlerContext, query: ParsedQuery): RenderContext {
  return { state: ctx.services.state, baseUrl: ctx.services.baseUrl, query };
}

/** X validates ids in the path before looking anything up. */
export function checkId(name: string, value: string): Reply | undefined {
  if (isNumericId(value)) return undefined;
  return invalidParameter(
    name,
    value,
    `The \`${name}\` query parameter value [${value}] does not match ^[0-9]{1,19}$`,
  );
}

/** The user a user-context request acts as; a token bound to no known user is unauthorized. */
export function actingUser(ctx: HandlerContext): EmulatedUser | Reply {
  const user = ctx.userId ? ctx.services.state.users.get(ctx.userId) : undefined;
  return user ?? problem(401, 'Unauthorized');
}

export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && 'status' in value && typeof value.status === 'number';
}
