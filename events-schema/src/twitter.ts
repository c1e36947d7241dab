// Raw TWITTER_* events: one per X Account Activity payload kind, carrying X's object as sent.
// X's objects are loose (X adds fields); only the fields Murmur reads are named, and those are
// optional, so no payload X sends can be refused. Detail-type names are the reference design's.
import { z } from 'zod';
import { baseDetailShape, XIdSchema } from './common.js';

const nullableString = z.string().nullable().optional();

/** A v1.1 user object, as in tweets and favorites. */
export const XUserSchema = z.looseObject({
  id_str: z.string().optional(),
  screen_name: z.string().optional(),
  name: z.string().optional(),
});

/** A user as Account Activity writes it in follow, block and mute events and DM `users` maps: `id` is a string. */
export const XAccountSchema = z.looseObject({
  id: z.string().optional(),
  screen_name: z.string().optional(),
  name: z.string().optional(),
});

/** A v1.1 media entity (`entities.media` / `extended_entities.media`). */
export const XMediaSchema = z.looseObject({
  id_str: z.string().optional(),
  media_key: z.string().optional(),
  type: z.string().optional(),
  media_url_https: z.string().optional(),
});

const XEntitiesSchema = z.looseObject({
  media: z.array(XMediaSchema).optional(),
  user_mentions: z
    .array(z.looseObject({ id_str: z.string().optional(), screen_name: z.string().optional() }))
    .optional(),
});

/** A v1.1 tweet object, as in `tweet_create_events` and `favorite_events[].favorited_status`. */
export const XTweetSchema = z.looseObject({
  id_str: z.string().optional(),
  created_at: z.string().optional(),
  text: z.string().optional(),
  truncated: z.boolean().optional(),
  extended_tweet: z
    .looseObject({
      full_text: z.string().optional(),
      entities: XEntitiesSchema.optional(),
      extended_entities: XEntitiesSchema.optional(),
    })
    .optional(),
  user: XUserSchema.optional(),
  in_reply_to_status_id_str: nullableString,
  in_reply_to_user_id_str: nullableString,
  is_quote_status: z.boolean().optional(),
  quoted_status_id_str: z.string().optional(),
  entities: XEntitiesSchema.optional(),
  extended_entities: XEntitiesSchema.optional(),
  timestamp_ms: z.string().optional(),
});

/** Source/target pair of follow, block and mute events. */
const XUserActionSchema = (types: [string, ...string[]]) =>
  z.looseObject({
    type: z.enum(types).optional(),
    created_timestamp: z.string().optional(),
    source: XAccountSchema.optional(),
    target: XAccountSchema.optional(),
  });

const XDmTargetSchema = z.looseObject({ recipient_id: z.string().optional() });

const XDmEventSchema = z.looseObject({
  type: z.string().optional(),
  id: z.string().optional(),
  created_timestamp: z.string().optional(),
  message_create: z
    .looseObject({
      target: XDmTargetSchema.optional(),
      sender_id: z.string().optional(),
      source_app_id: z.string().optional(),
      message_data: z
        .looseObject({
          text: z.string().optional(),
          entities: z.looseObject({}).optional(),
          attachment: z
            .looseObject({ type: z.string().optional(), media: XMediaSchema.optional() })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

const XDmIndicatorSchema = z.looseObject({
  created_timestamp: z.string().optional(),
  sender_id: z.string().optional(),
  target: XDmTargetSchema.optional(),
  last_read_event_id: z.string().optional(),
});

const rawShape = {
  ...baseDetailShape,
  forUserId: XIdSchema.describe(
    '`for_user_id` of the delivery: the subscribed account this event belongs to.',
  ),
  eventId: z
    .string()
    .min(1)
    .optional()
    .describe("X's own id for this activity when it has one (tweet, favorite, DM event, deleted tweet)."),
};

/** DM payloads name their users only in the top-level `users` map; the reference design dropped it. */
const dmShape = {
  users: z
    .record(z.string(), XAccountSchema)
    .describe("The delivery's `users` map (user id -> user), needed to name DM senders."),
  apps: z
    .record(z.string(), z.looseObject({}))
    .optional()
    .describe("The delivery's `apps` map, when X sends one."),
};

function payloadKey<const K extends [string, ...string[]]>(...keys: K) {
  return z.enum(keys).describe('The Account Activity key this event came from.');
}

export const TwitterTweetedDetailSchema = z.strictObject({
  ...rawShape,
  payloadKey: payloadKey('tweet_create_events'),
  payload: XTweetSchema.describe('One element of `tweet_create_events`: a v1.1 tweet object.'),
  userHasBlocked: z.boolean().optional().describe('`user_has_blocked` of mention deliveries, as a boolean.'),
  isBlockedBy: z.boolean().optional().describe('`is_blocked_by` of mention deliveries, as a boolean.'),
});
export type TwitterTweetedDetail = z.infer<typeof TwitterTweetedDetailSchema>;

export const TwitterFavouritedDetailSchema = z.strictObject({
  ...rawShape,
  payloadKey: payloadKey('favorite_events'),
  payload: z
    .looseObject({
      id: z.string().optional(),
      created_at: z.string().optional(),
      timestamp_ms: z.union([z.number(), z.string()]).optional(),
      favorited_status: XTweetSchema.optional(),
      user: XUserSchema.optional(),
    })
    .describe('One element of `favorite_events`.'),
});
export type TwitterFavouritedDetail = z.infer<typeof TwitterFavouritedDetailSchema>;

function userActionSchema<const K extends [string, ...string[]]>(keys: K, type: string, description: string) {
  return z.strictObject({
    ...rawShape,
    payloadKey: payloadKey(...keys),
    payload: XUserActionSchema([type]).describe(description),
  });
}

export const TwitterFollowedDetailSchema = userActionSchema(
  ['follow_events'],
  'follow',
  'One element of `follow_events` with `type: "follow"`.',
);
export type TwitterFollowedDetail = z.infer<typeof TwitterFollowedDetailSchema>;

// X documents `unfollow_events`, but delivers unfollows inside `follow_events` with `type: "unfollow"`.
export const TwitterUnfollowedDetailSchema = userActionSchema(
  ['follow_events', 'unfollow_events'],
  'unfollow',
  'One element of `follow_events` with `type: "unfollow"` (or of `unfollow_events`).',
);
export type TwitterUnfollowedDetail = z.infer<typeof TwitterUnfollowedDetailSchema>;

export const TwitterBlockedDetailSchema = userActionSchema(
  ['block_events'],
  'block',
  'One element of `block_events` with `type: "block"`.',
);
export type TwitterBlockedDetail = z.infer<typeof TwitterBlockedDetailSchema>;

export const TwitterUnblockedDetailSchema = userActionSchema(
  ['block_events', 'unblock_events'],
  'unblock',
  'One element of `block_events` with `type: "unblock"` (or of `unblock_events`).',
);
export type TwitterUnblockedDetail = z.infer<typeof TwitterUnblockedDetailSchema>;

export const TwitterMutedDetailSchema = userActionSchema(
  ['mute_events'],
  'mute',
  'One element of `mute_events` with `type: "mute"`.',
);
export type TwitterMutedDetail = z.infer<typeof TwitterMutedDetailSchema>;

export const TwitterUnmutedDetailSchema = userActionSchema(
  ['mute_events', 'unmute_events'],
  'unmute',
  'One element of `mute_events` with `type: "unmute"` (or of `unmute_events`).',
);
export type TwitterUnmutedDetail = z.infer<typeof TwitterUnmutedDetailSchema>;

// `user_event` is an object, not an array: the reference design crashed on it.
export const TwitterPermissionRevokedDetailSchema = z.strictObject({
  ...rawShape,
  payloadKey: payloadKey('user_event'),
  payload: z
    .looseObject({
      revoke: z
        .looseObject({
          date_time: z.string().optional(),
          target: z.looseObject({ app_id: z.string().optional() }).optional(),
          source: z.looseObject({ user_id: z.string().optional() }).optional(),
        })
        .optional(),
    })
    .describe('The `user_event` object (a revoke: the user removed the app).'),
});
export type TwitterPermissionRevokedDetail = z.infer<typeof TwitterPermissionRevokedDetailSchema>;

// Keeps the reference name, but carries DMs the account sent as well as received.
export const TwitterDmReceivedDetailSchema = z.strictObject({
  ...rawShape,
  ...dmShape,
  payloadKey: payloadKey('direct_message_events'),
  payload: XDmEventSchema.describe(
    'One element of `direct_message_events` (sent or received by the account).',
  ),
});
export type TwitterDmReceivedDetail = z.infer<typeof TwitterDmReceivedDetailSchema>;

export const TwitterDmTypingDetailSchema = z.strictObject({
  ...rawShape,
  ...dmShape,
  payloadKey: payloadKey('direct_message_indicate_typing_events'),
  payload: XDmIndicatorSchema.describe('One element of `direct_message_indicate_typing_events`.'),
});
export type TwitterDmTypingDetail = z.infer<typeof TwitterDmTypingDetailSchema>;

export const TwitterDmMarkedReadDetailSchema = z.strictObject({
  ...rawShape,
  ...dmShape,
  payloadKey: payloadKey('direct_message_mark_read_events'),
  payload: XDmIndicatorSchema.describe('One element of `direct_message_mark_read_events`.'),
});
export type TwitterDmMarkedReadDetail = z.infer<typeof TwitterDmMarkedReadDetailSchema>;

export const TwitterDeletedDetailSchema = z.strictObject({
  ...rawShape,
  payloadKey: payloadKey('tweet_delete_events'),
  payload: z
    .looseObject({
      status: z.looseObject({ id: z.string().optional(), user_id: z.string().optional() }).optional(),
      timestamp_ms: z.string().optional(),
    })
    .describe('One element of `tweet_delete_events`.'),
});
export type TwitterDeletedDetail = z.infer<typeof TwitterDeletedDetailSchema>;

// A key Murmur does not know is kept, never dropped: it may matter once Murmur learns it.
export const TwitterUnknownDetailSchema = z.strictObject({
  ...baseDetailShape,
  forUserId: XIdSchema.optional().describe('`for_user_id` of the delivery, when it has one.'),
  payloadKey: z.string().min(1).describe('The unknown top-level key of the delivery.'),
  payload: z
    .unknown()
    .describe('Its value, as X sent it (an array element, or the whole value if not an array).'),
});
export type TwitterUnknownDetail = z.infer<typeof TwitterUnknownDetailSchema>;
