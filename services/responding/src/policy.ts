// Who gets a reply, declared in configuration. Loops and spam are what this prevents: the bot never
// answers itself (the event contract forbids it), other bots on the ignore list, or anyone more
// often than the per-user limit, and it answers each message at most once.
import { z } from 'zod';

export interface ReplyPolicy {
  /** Account ids or screen names (without @, any case) never answered, e.g. other bots. */
  ignore: readonly string[];
  /** At most this many replies to one author per window. */
  perUser: { replies: number; windowSeconds: number };
  /** Blur the faces of people nobody recognised in annotated images. */
  blurUnrecognizedFaces: boolean;
}

export const DEFAULT_REPLY_POLICY: ReplyPolicy = {
  ignore: [],
  perUser: { replies: 5, windowSeconds: 3600 },
  blurUnrecognizedFaces: false,
};

export class ReplyPolicyError extends Error {
  override readonly name = 'ReplyPolicyError';
}

const PerUser = z
  .string()
  .regex(/^\d+\/\d+$/, 'expected <replies>/<seconds>, e.g. 5/3600')
  .transform((v) => {
    const [replies, windowSeconds] = v.split('/').map(Number) as [number, number];
    return { replies, windowSeconds };
  })
  .refine((v) => v.replies >= 1 && v.windowSeconds >= 1, 'both numbers must be at least 1');

/** `MURMUR_REPLY_IGNORE` (comma-separated), `MURMUR_REPLY_PER_USER` (`5/3600`), `MURMUR_REPLY_BLUR_FACES` (true/false). */
export function replyPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): ReplyPolicy {
  const parse = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const result = schema.safeParse(raw);
    if (!result.success) throw new ReplyPolicyError(`${name}="${raw}": ${result.error.issues[0]?.message}`);
    return result.data;
  };
  return {
    ignore: parse(
      'MURMUR_REPLY_IGNORE',
      z.string().transform((v) =>
        v
          .split(',')
          .map((s) => s.trim().replace(/^@/, ''))
          .filter(Boolean),
      ),
      [],
    ),
    perUser: parse('MURMUR_REPLY_PER_USER', PerUser, DEFAULT_REPLY_POLICY.perUser),
    blurUnrecognizedFaces: parse(
      'MURMUR_REPLY_BLUR_FACES',
      z.enum(['true', 'false']).transform((v) => v === 'true'),
      false,
    ),
  };
}

export function isIgnored(policy: ReplyPolicy, author: { id: string; screenName: string }): boolean {
  const name = author.screenName.toLowerCase();
  return policy.ignore.some((entry) => entry === author.id || entry.toLowerCase() === name);
}
