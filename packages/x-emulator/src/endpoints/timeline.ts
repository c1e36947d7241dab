import type { Route } from '../context.js';
import { invalidParameter } from '../errors.js';
import { tweetTimelinePage } from './tweet-pages.js';

const EXCLUDABLE = ['replies', 'retweets'];

/**
 * `GET /2/users/:id/tweets`, the user's own timeline: their tweets, replies, quotes and
 * retweets, newest first, minus what `exclude` names. Same paging, time bounds and
 * expansions as the mentions timeline.
 */
export const timelineRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/2/users/:id/tweets',
    endpoint: 'users.tweets',
    auth: 'any',
    handle: (ctx) =>
      tweetTimelinePage(ctx, {
        extraParams: ['exclude'],
        select: (state, userId, query) => {
          const raw = query.get('exclude');
          const exclude = new Set(raw === undefined ? [] : raw.split(','));
          for (const value of exclude) {
            if (!EXCLUDABLE.includes(value)) {
              return invalidParameter(
                'exclude',
                raw ?? '',
                `The \`exclude\` query parameter value [${value}] is not one of [${EXCLUDABLE.join(',')}]`,
              );
            }
          }
          return state
            .tweetsBy(userId)
            .filter(
              (t) =>
                !(exclude.has('replies') && t.inReplyToTweetId) &&
                !(exclude.has('retweets') && t.retweetedTweetId),
            );
        },
      }),
  },
];
