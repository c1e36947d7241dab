import { invalidParameter, invalidRequest } from './errors.js';
import type { Reply } from './http-types.js';

/*
 * Query-string validation the way X does it: unknown parameters and unknown field or
 * expansion values are 400s. That strictness is the point: a typo in Murmur's request
 * fails in tests instead of silently returning less data from X.
 */

export const TWEET_FIELDS = [
  'article',
  'attachments',
  'author_id',
  'card_uri',
  'community_id',
  'context_annotations',
  'conversation_id',
  'created_at',
  'display_text_range',
  'edit_controls',
  'edit_history_tweet_ids',
  'entities',
  'geo',
  'id',
  'in_reply_to_user_id',
  'lang',
  'media_metadata',
  'non_public_metrics',
  'note_tweet',
  'organic_metrics',
  'possibly_sensitive',
  'promoted_metrics',
  'public_metrics',
  'referenced_tweets',
  'reply_settings',
  'scopes',
  'source',
  'text',
  'withheld',
] as const;

export const USER_FIELDS = [
  'affiliation',
  'connection_status',
  'created_at',
  'description',
  'entities',
  'id',
  'location',
  'most_recent_tweet_id',
  'name',
  'pinned_tweet_id',
  'profile_banner_url',
  'profile_image_url',
  'protected',
  'public_metrics',
  'receives_your_dm',
  'subscription_type',
  'url',
  'username',
  'verified',
  'verified_type',
  'withheld',
] as const;

export const MEDIA_FIELDS = [
  'alt_text',
  'duration_ms',
  'height',
  'media_key',
  'non_public_metrics',
  'organic_metrics',
  'preview_image_url',
  'promoted_metrics',
  'public_metrics',
  'type',
  'url',
  'variants',
  'width',
] as const;

export const DM_EVENT_FIELDS = [
  'attachments',
  'cashtags',
  'created_at',
  'dm_conversation_id',
  'entities',
  'event_type',
  'hashtags',
  'id',
  'mentions',
  'participant_ids',
  'referenced_tweets',
  'sender_id',
  'text',
  'urls',
] as const;

export const TWEET_EXPANSIONS = [
  'article.cover_media',
  'article.media_entities',
  'attachments.media_keys',
  'attachments.media_source_tweet',
  'attachments.poll_ids',
  'author_id',
  'edit_history_tweet_ids',
  'entities.mentions.username',
  'geo.place_id',
  'in_reply_to_user_id',
  'entities.note.mentions.username',
  'referenced_tweets.id',
  'referenced_tweets.id.attachments.media_keys',
  'referenced_tweets.id.author_id',
] as const;

export const USER_EXPANSIONS = ['affiliation.user_id', 'most_recent_tweet_id', 'pinned_tweet_id'] as const;

export const DM_EXPANSIONS = [
  'attachments.media_keys',
  'participant_ids',
  'referenced_tweets.id',
  'sender_id',
] as const;

const LIST_PARAMS = {
  'tweet.fields': TWEET_FIELDS,
  'user.fields': USER_FIELDS,
  'media.fields': MEDIA_FIELDS,
  'dm_event.fields': DM_EVENT_FIELDS,
  'poll.fields': ['duration_minutes', 'end_datetime', 'id', 'options', 'voting_status'],
  'place.fields': [
    'contained_within',
    'country',
    'country_code',
    'full_name',
    'geo',
    'id',
    'name',
    'place_type',
  ],
} as const;

export interface ParsedQuery {
  expansions: Set<string>;
  tweetFields: Set<string>;
  userFields: Set<string>;
  mediaFields: Set<string>;
  dmEventFields: Set<string>;
  get(name: string): string | undefined;
}

export type QueryResult = { ok: true; query: ParsedQuery } | { ok: false; reply: Reply };

/**
 * @param allowed the parameters this endpoint accepts, besides its field lists.
 * @param expansions the expansions this endpoint accepts.
 */
export function parseQuery(
  search: URLSearchParams,
  allowed: readonly string[],
  expansions: readonly string[] = [],
): QueryResult {
  const accepted = new Set(allowed);
  for (const name of search.keys()) {
    if (!accepted.has(name)) {
      return {
        ok: false,
        reply: invalidRequest([
          {
            parameters: { [name]: [search.get(name) ?? ''] },
            message: `The query parameter [${name}] is not one of [${[...accepted].join(',')}]`,
          },
        ]),
      };
    }
  }
  const lists: Record<string, Set<string>> = {};
  const wanted: [string, readonly string[]][] = [
    ['expansions', expansions],
    ...Object.entries(LIST_PARAMS).filter(([name]) => accepted.has(name)),
  ];
  for (const [name, values] of wanted) {
    const raw = search.get(name);
    const set = new Set<string>();
    if (raw !== null) {
      for (const value of raw.split(',')) {
        if (!values.includes(value)) {
          return {
            ok: false,
            reply: invalidParameter(
              name,
              raw,
              `The \`${name}\` query parameter value [${value}] is not one of [${values.join(',')}]`,
            ),
          };
        }
        set.add(value);
      }
    }
    lists[name] = set;
  }
  const empty = new Set<string>();
  return {
    ok: true,
    query: {
      expansions: lists.expansions ?? empty,
      tweetFields: lists['tweet.fields'] ?? empty,
      userFields: lists['user.fields'] ?? empty,
      mediaFields: lists['media.fields'] ?? empty,
      dmEventFields: lists['dm_event.fields'] ?? empty,
      get: (name) => search.get(name) ?? undefined,
    },
  };
}

export type IntResult = { ok: true; value: number } | { ok: false; reply: Reply };

export function parseMaxResults(
  raw: string | undefined,
  min: number,
  max: number,
  fallback: number,
): IntResult {
  if (raw === undefined) return { ok: true, value: fallback };
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    return {
      ok: false,
      reply: invalidParameter(
        'max_results',
        raw,
        `The \`max_results\` query parameter value [${raw}] is not between ${min} and ${max}`,
      ),
    };
  }
  return { ok: true, value };
}

/** Pagination tokens are opaque to clients; here they carry the position they continue from. */
export function encodePageToken(position: string): string {
  return Buffer.from(`p1:${position}`).toString('base64url');
}

export function decodePageToken(token: string): string | undefined {
  const decoded = Buffer.from(token, 'base64url').toString();
  return decoded.startsWith('p1:') ? decoded.slice(3) : undefined;
}

export function invalidPageToken(token: string): Reply {
  return invalidParameter(
    'pagination_token',
    token,
    `The \`pagination_token\` query parameter value [${token}] is not valid`,
  );
}
