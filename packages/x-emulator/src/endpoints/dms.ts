import { z } from 'zod';
import { parseJsonBody } from '../body.js';
import type { HandlerContext, Route } from '../context.js';
import { forbidden, invalidParameter, invalidRequest } from '../errors.js';
import { json, type Reply } from '../http-types.js';
import { compareIds } from '../ids.js';
import { wrapLinks } from '../links.js';
import {
  DM_EXPANSIONS,
  decodePageToken,
  encodePageToken,
  invalidPageToken,
  parseMaxResults,
  parseQuery,
} from '../query.js';
import { envelope, Includes, type RenderContext } from '../render.js';
import type { EmulatedDmEvent, EmulatedUser } from '../state.js';
import { actingUser, checkId, isReply, renderContext } from './shared.js';

const SendBody = z.strictObject({
  text: z.string().max(10000).optional(),
  attachments: z
    .array(z.strictObject({ media_id: z.string().regex(/^\d{1,19}$/) }))
    .max(1)
    .optional(),
});

function send(ctx: HandlerContext, sender: EmulatedUser, recipient: EmulatedUser): Reply {
  const body = parseJsonBody(ctx, SendBody);
  if (!body.ok) return body.reply;
  const { text, attachments } = body.value;
  if (!text && !attachments?.length) {
    return invalidRequest([{ message: 'Either text or attachments must be provided' }]);
  }
  const mediaIds = (attachments ?? []).map((a) => a.media_id);
  if (mediaIds.some((id) => ctx.services.state.mediaById(id)?.state !== 'ready')) {
    return invalidRequest([
      { parameters: { 'attachments.media_id': mediaIds }, message: 'Your media IDs are invalid.' },
    ]);
  }
  if (recipient.id === sender.id) return forbidden('You cannot send a Direct Message to yourself.');
  if (!recipient.acceptsDms) return forbidden('You cannot send messages to users who are not following you.');
  const id = ctx.services.state.ids.take();
  const event = ctx.services.state.addDirectMessage(
    // X wraps links in t.co, in DMs as in tweets.
    { id, from: sender.id, to: recipient.id, text: wrapLinks(text ?? '', `dm:${id}`) },
    true,
    mediaIds,
  );
  return json(201, { data: { dm_conversation_id: event.dmConversationId, dm_event_id: event.id } });
}

function sendToParticipant(ctx: HandlerContext): Reply {
  const participantId = ctx.params.participant_id ?? '';
  const bad = checkId('participant_id', participantId);
  if (bad) return bad;
  const sender = actingUser(ctx);
  if (isReply(sender)) return sender;
  const recipient = ctx.services.state.users.get(participantId);
  if (!recipient) {
    return invalidParameter(
      'participant_id',
      participantId,
      `Could not find user with id: [${participantId}].`,
    );
  }
  return send(ctx, sender, recipient);
}

/** Only one-to-one conversations (`<id>-<id>`) exist in the emulator. */
function sendToConversation(ctx: HandlerContext): Reply {
  const conversationId = ctx.params.dm_conversation_id ?? '';
  const sender = actingUser(ctx);
  if (isReply(sender)) return sender;
  const ids = /^(\d{1,19})-(\d{1,19})$/.exec(conversationId);
  if (!ids || (ids[1] !== sender.id && ids[2] !== sender.id)) {
    return forbidden('You are not a participant of this conversation.');
  }
  const otherId = ids[1] === sender.id ? (ids[2] as string) : ids[1];
  const recipient = ctx.services.state.users.get(otherId ?? '');
  if (!recipient) return forbidden('You are not a participant of this conversation.');
  return send(ctx, sender, recipient);
}

const LIST_PARAMS = [
  'dm_event.fields',
  'event_types',
  'expansions',
  'max_results',
  'pagination_token',
  'media.fields',
  'tweet.fields',
  'user.fields',
];

function renderEvent(event: EmulatedDmEvent, ctx: RenderContext) {
  const fields = ctx.query.dmEventFields;
  const exp = ctx.query.expansions;
  const out: Record<string, unknown> = { id: event.id, event_type: 'MessageCreate', text: event.text };
  if (fields.has('created_at')) out.created_at = new Date(event.createdAt).toISOString();
  if (fields.has('sender_id') || exp.has('sender_id')) out.sender_id = event.senderId;
  if (fields.has('dm_conversation_id')) out.dm_conversation_id = event.dmConversationId;
  if (fields.has('participant_ids') || exp.has('participant_ids')) out.participant_ids = event.participantIds;
  const mediaKeys = event.mediaIds.flatMap((id) => ctx.state.mediaById(id)?.mediaKey ?? []);
  if ((fields.has('attachments') || exp.has('attachments.media_keys')) && mediaKeys.length) {
    out.attachments = { media_keys: mediaKeys };
  }
  return out;
}

/** The acting user's DM events, newest first, optionally one conversation only. */
function listEvents(ctx: HandlerContext, conversationId?: string): Reply {
  const parsed = parseQuery(ctx.search, LIST_PARAMS, DM_EXPANSIONS);
  if (!parsed.ok) return parsed.reply;
  const q = parsed.query;
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  const types = q.get('event_types');
  if (types !== undefined && !['MessageCreate', 'ParticipantsJoin', 'ParticipantsLeave'].includes(types)) {
    return invalidParameter(
      'event_types',
      types,
      `The \`event_types\` query parameter value [${types}] is not one of [MessageCreate,ParticipantsJoin,ParticipantsLeave]`,
    );
  }
  const max = parseMaxResults(q.get('max_results'), 1, 100, 100);
  if (!max.ok) return max.reply;
  const token = q.get('pagination_token');
  const before = token === undefined ? undefined : decodePageToken(token);
  if (token !== undefined && (before === undefined || !/^\d+$/.test(before))) return invalidPageToken(token);

  const events = ctx.services.state.dmEvents
    .filter(
      (e) =>
        e.participantIds.includes(user.id) &&
        (conversationId === undefined || e.dmConversationId === conversationId) &&
        (types === undefined || types === 'MessageCreate') &&
        (before === undefined || compareIds(e.id, before) < 0),
    )
    .sort((a, b) => compareIds(b.id, a.id));
  const page = events.slice(0, max.value);
  const render = renderContext(ctx, q);
  const includes = new Includes(render);
  for (const event of page) {
    if (q.expansions.has('sender_id')) includes.addUser(event.senderId);
    if (q.expansions.has('participant_ids')) for (const id of event.participantIds) includes.addUser(id);
    if (q.expansions.has('attachments.media_keys')) {
      for (const id of event.mediaIds) {
        const media = ctx.services.state.mediaById(id);
        if (media) includes.addMedia(media.mediaKey);
      }
    }
  }
  const last = page[page.length - 1];
  const meta: Record<string, unknown> = { result_count: page.length };
  if (last && events.length > page.length) meta.next_token = encodePageToken(last.id);
  return json(
    200,
    envelope({ data: page.length ? page.map((e) => renderEvent(e, render)) : undefined, includes, meta }),
  );
}

function listWithParticipant(ctx: HandlerContext): Reply {
  const participantId = ctx.params.participant_id ?? '';
  const bad = checkId('participant_id', participantId);
  if (bad) return bad;
  const me = ctx.userId ?? '';
  const [a, b] = compareIds(me || '0', participantId) <= 0 ? [me, participantId] : [participantId, me];
  return listEvents(ctx, `${a}-${b}`);
}

/** Only one-to-one conversations (`<id>-<id>`) exist here; the caller must be one of the two. */
function listOfConversation(ctx: HandlerContext): Reply {
  const conversationId = ctx.params.dm_conversation_id ?? '';
  const user = actingUser(ctx);
  if (isReply(user)) return user;
  const ids = /^(\d{1,19})-(\d{1,19})$/.exec(conversationId);
  if (!ids || (ids[1] !== user.id && ids[2] !== user.id)) {
    return forbidden('You are not a participant of this conversation.');
  }
  return listEvents(ctx, conversationId);
}

export const dmRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/2/dm_conversations/with/:participant_id/messages',
    endpoint: 'dm.send',
    auth: 'user',
    handle: sendToParticipant,
  },
  {
    method: 'POST',
    pattern: '/2/dm_conversations/:dm_conversation_id/messages',
    endpoint: 'dm.send',
    auth: 'user',
    handle: sendToConversation,
  },
  {
    method: 'GET',
    pattern: '/2/dm_events',
    endpoint: 'dm.events',
    auth: 'user',
    handle: (ctx) => listEvents(ctx),
  },
  {
    method: 'GET',
    pattern: '/2/dm_conversations/with/:participant_id/dm_events',
    endpoint: 'dm.events',
    auth: 'user',
    handle: listWithParticipant,
  },
  {
    method: 'GET',
    pattern: '/2/dm_conversations/:dm_conversation_id/dm_events',
    endpoint: 'dm.events',
    auth: 'user',
    handle: listOfConversation,
  },
];
