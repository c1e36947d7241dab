import { z } from 'zod';

/** Every detail in the catalog is at version 1; bump per detail-type on a breaking change. */
export const SCHEMA_VERSION = 1;

/** X ids are snowflakes as decimal strings: as numbers they lose precision past 2^53. */
export const XIdSchema = z.string().regex(/^[0-9]{1,20}$/, 'expected an X id (a string of digits)');

/** X handles are 1-15 of [A-Za-z0-9_]; some legacy accounts are longer, so allow up to 50. */
export const ScreenNameSchema = z.string().regex(/^[A-Za-z0-9_]{1,50}$/, 'expected an X screen name');

/** UTC ISO-8601, as EventBridge writes `time`. */
export const IsoDateTimeSchema = z.iso.datetime();

export const CorrelationIdSchema = z
  .string()
  .min(1)
  .max(128)
  .describe(
    'Id of the webhook delivery (or poll run) that started this chain; copied unchanged by every event it causes.',
  );

/** Fields every detail carries: `schemaVersion` so consumers can branch, `correlationId` to trace a reply to its cause. */
export const baseDetailShape = {
  schemaVersion: z.literal(SCHEMA_VERSION).describe('Version of this detail schema.'),
  correlationId: CorrelationIdSchema,
};

export const AuthorSchema = z
  .strictObject({
    id: XIdSchema.describe('X user id.'),
    screenName: ScreenNameSchema.describe('Handle, without @.'),
    name: z.string().describe('Display name.'),
  })
  .describe('The X user who wrote the message.');
export type Author = z.infer<typeof AuthorSchema>;

/** What the bot considers: tweets addressed to it, and DMs to it. */
export const MessageKindSchema = z
  .enum(['mention', 'reply', 'quote', 'directMessage'])
  .describe('mention, reply or quote (tweets addressed to the account), or directMessage.');
export type MessageKind = z.infer<typeof MessageKindSchema>;

/** How a reply goes out: a tweet in reply, or a DM. */
export const ChannelSchema = z.enum(['tweet', 'directMessage']).describe('tweet (a reply) or directMessage.');
export type Channel = z.infer<typeof ChannelSchema>;

/** Tweet kinds carry a tweet id; a DM carries a DM event id and conversation id. */
export function isTweetKind(kind: MessageKind): boolean {
  return kind !== 'directMessage';
}
