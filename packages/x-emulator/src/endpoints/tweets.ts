import { z } from 'zod';
import { parseJsonBody } from '../body.js';
import type { HandlerContext, Route } from '../context.js';
import { forbidden, invalidRequest, problem, resourceNotFound } from '../errors.js';
import { json } from '../http-types.js';
import { parseQuery, TWEET_EXPANSIONS } from '../query.js';
import { envelope, Includes, renderTweet } from '../render.js';
import { actingUser, checkId, isReply, renderContext } from './shared.js';

const ID = z.string().regex(/^\d{1,19}$/, 'must match ^[0-9]{1,19}$');

/** X's POST /2/tweets schema; unknown keys are rejected, as X's schema validator does. */
const CreateTweetBody = z.strictObject({
  text: z.string().optional(),
  reply: z
    .strictObject({
      in_reply_to_tweet_id: ID,
      exclude_reply_user_ids: z.array(ID).optional(),
      auto_populate_reply_metadata: z.boolean().optional(),
    })
    .optional(),
  media: z
    .strictObject({
      media_ids: z.array(ID).min(1).max(4),
      tagged_user_ids: z.array(ID).max(10).optional(),
    })
    .optional(),
  quote_tweet_id: ID.optional(),
  reply_settings: z.enum(['following', 'mentionedUsers', 'subscribers', 'verified']).optional(),
  poll: z
    .strictObject({ options: z.array(z.string()).min(2).max(4), duration_minutes: z.number() })
    .optional(),
  for_super_followers_only: z.boolean().optional(),
  direct_message_deep_link: z.string().optional(),
  nullcast: z.boolean().optional(),
  card_uri: z.string().optional(),
  community_id: z.string().optional(),
  share_with_followers: z.boolean().optional(),
  made_with_ai: z.boolean().optional(),
  paid_partnership: z.boolean().optional(),
  geo: z.strictObject({ place_id: z.string() }).optional(),
});

const MAX_TEXT = 280;

function create(ctx: HandlerContext) {
  const body = parseJsonBody(ctx, CreateTweetBody);
  if (!body.ok) return body.reply;
  const author = actingUser(ctx);
  if (isReply(author)) return author;
  const state = ctx.services.state;
  const input = body.value;
  const text = input.text ?? '';
  if (!text && !input.media && !input.poll && !input.quote_tweet_id && !input.card_uri) {
    return invalidRequest([
      { message: 'You must specify at least one of text, media, poll, card_uri or quote_tweet_id' },
    ]);
  }
  // X weighs some characters double; counting code points is close enough for tests.
  if ([...text].length > MAX_TEXT) {
    return forbidden('You are not permitted to create a Tweet with text longer than 280 characters.');
  }
  const mediaIds = input.media?.media_ids ?? [];
  const media = mediaIds.map((id) => state.mediaById(id));
  if (media.some((m) => m?.state !== 'ready')) {
    return invalidRequest([
      { parameters: { 'media.media_ids': mediaIds }, message: 'Your media IDs are invalid.' },
    ]);
  }
  const replyTo = input.reply?.in_reply_to_tweet_id;
  if (replyTo && !state.liveTweet(replyTo)) {
    return forbidden('You attempted to reply to a Tweet that is deleted or not visible to you.');
  }
  if (input.quote_tweet_id && !state.liveTweet(input.quote_tweet_id)) {
    return forbidden('You attempted to quote a Tweet that is deleted or not visible to you.');
  }
  // A bot that answers the same way twice hits this on X; the emulator makes it visible.
  const duplicate =
    text &&
    [...state.tweets.values()].some((t) => t.authorId === author.id && !t.deletedAt && t.text === text);
  if (duplicate) return forbidden('You are not allowed to create a Tweet with duplicate content.');

  const tweet = state.addTweet(
    { author: author.id, text, inReplyTo: replyTo, quote: input.quote_tweet_id },
    true,
    media.flatMap((m) => (m ? [m.mediaKey] : [])),
  );
  return json(201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } });
}

const LOOKUP_PARAMS = [
  'expansions',
  'tweet.fields',
  'user.fields',
  'media.fields',
  'place.fields',
  'poll.fields',
];

function lookup(ctx: HandlerContext) {
  const id = ctx.params.id ?? '';
  const bad = checkId('id', id);
  if (bad) return bad;
  const parsed = parseQuery(ctx.search, LOOKUP_PARAMS, TWEET_EXPANSIONS);
  if (!parsed.ok) return parsed.reply;
  const tweet = ctx.services.state.liveTweet(id);
  if (!tweet) return json(200, envelope({ errors: [resourceNotFound('tweet', 'id', id)] }));
  const render = renderContext(ctx, parsed.query);
  const includes = new Includes(render);
  includes.forTweet(tweet);
  return json(200, envelope({ data: renderTweet(tweet, render), includes }));
}

function remove(ctx: HandlerContext) {
  const id = ctx.params.id ?? '';
  const bad = checkId('id', id);
  if (bad) return bad;
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  const tweet = ctx.services.state.liveTweet(id);
  if (!tweet) return problem(404, `Could not find tweet with id: [${id}].`);
  if (tweet.authorId !== user.id) return forbidden('You are not authorized to delete this Tweet.');
  tweet.deletedAt = ctx.services.now();
  return json(200, { data: { deleted: true } });
}

export const tweetRoutes: Route[] = [
  { method: 'POST', pattern: '/2/tweets', endpoint: 'tweets.create', auth: 'user', handle: create },
  { method: 'GET', pattern: '/2/tweets/:id', endpoint: 'tweets.lookup', auth: 'any', handle: lookup },
  { method: 'DELETE', pattern: '/2/tweets/:id', endpoint: 'tweets.delete', auth: 'user', handle: remove },
];
