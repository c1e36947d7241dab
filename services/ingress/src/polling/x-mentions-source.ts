import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import type { PolledIncludes, PolledTweet } from '../activity/index.js';
import {
  type MentionsPage,
  type MentionsQuery,
  type MentionsSource,
  RateLimitedError,
} from './mentions-source.js';

// Everything the translation reads: authors, media, and whose tweet a reply or quote points at.
const QUERY = {
  expansions: 'author_id,attachments.media_keys,referenced_tweets.id,referenced_tweets.id.author_id',
  'tweet.fields':
    'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,attachments,note_tweet,lang',
  'media.fields': 'media_key,type,url,preview_image_url,width,height,alt_text',
  'user.fields': 'name,username',
};

interface MentionsBody {
  data?: PolledTweet[];
  includes?: PolledIncludes;
  meta?: { newest_id?: string; next_token?: string; result_count?: number };
}

/** Mentions through twitter-api-v2 (pointed at the X emulator in tests by @murmur/x-client). */
export class XMentionsSource implements MentionsSource {
  constructor(private readonly client: TwitterApi) {}

  async fetch(accountId: string, query: MentionsQuery): Promise<MentionsPage> {
    try {
      const response = await this.client.v2.get<MentionsBody>(
        `users/${accountId}/mentions`,
        {
          ...QUERY,
          max_results: query.maxResults,
          ...(query.sinceId ? { since_id: query.sinceId } : {}),
          ...(query.paginationToken ? { pagination_token: query.paginationToken } : {}),
        },
        { fullResponse: true },
      );
      const body = response.data;
      return {
        tweets: body.data ?? [],
        ...(body.includes ? { includes: body.includes } : {}),
        ...(body.meta?.newest_id ? { newestId: body.meta.newest_id } : {}),
        ...(body.meta?.next_token ? { nextToken: body.meta.next_token } : {}),
        ...(response.rateLimit
          ? {
              rateLimit: {
                remaining: response.rateLimit.remaining,
                resetAt: new Date(response.rateLimit.reset * 1000),
              },
            }
          : {}),
      };
    } catch (error) {
      if (error instanceof ApiResponseError && error.code === 429) {
        const reset = error.rateLimit?.reset;
        throw new RateLimitedError(new Date(reset ? reset * 1000 : Date.now() + 15 * 60_000));
      }
      throw error;
    }
  }
}
