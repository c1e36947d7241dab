import type { Route } from '../context.js';
import { tweetTimelinePage } from './tweet-pages.js';

export const mentionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/2/users/:id/mentions',
    endpoint: 'users.mentions',
    auth: 'any',
    handle: (ctx) => tweetTimelinePage(ctx, { select: (state, userId) => state.mentionsOf(userId) }),
  },
];
