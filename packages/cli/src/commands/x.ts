import {
  createXClients,
  describeXError,
  XAccountActivity,
  type XAuthKind,
  XConfigError,
  XInputError,
} from '@murmur/x-client';
import type { Command } from 'commander';
import { CliError, type CliIO } from '../io.js';
import { renderTable } from '../table.js';
import { parseTimeArg } from '../time-arg.js';

/*
 * `murmur x ...`: X webhook and Account Activity management against X's v2 endpoints
 * (or the local X emulator when MURMUR_X_API_URL is set). Failures from X become one
 * clean line; credentials are read from the environment and never printed.
 */

async function withX<T>(io: CliIO, need: XAuthKind[], work: (x: XAccountActivity) => Promise<T>): Promise<T> {
  try {
    return await work(new XAccountActivity(createXClients(io.env, { need })));
  } catch (error) {
    if (error instanceof XConfigError || error instanceof XInputError) throw new CliError(error.message);
    const described = describeXError(error);
    if (described) throw new CliError(described);
    throw error;
  }
}

export function registerX(program: Command, io: CliIO): void {
  const x = program
    .command('x')
    .description(
      'Manage X webhooks and Account Activity subscriptions (credentials from X_* variables; MURMUR_X_API_URL for the emulator)',
    );

  const webhook = x
    .command('webhook')
    .description('Webhooks registered for the app (/2/webhooks, app-only auth)');

  webhook
    .command('register <url>')
    .description('Register a webhook URL; X runs a CRC against it first')
    .option('--json', 'print the webhook as JSON')
    .action(async (url: string, opts: { json?: boolean }) => {
      const created = await withX(io, ['app'], (api) => api.registerWebhook(url));
      if (opts.json) io.out(JSON.stringify(created));
      else io.out(`webhook ${created.id} registered for ${created.url} (valid: ${created.valid})`);
    });

  webhook
    .command('list')
    .description('Registered webhooks with their URL and CRC status')
    .option('--json', 'one webhook per line, as JSON')
    .action(async (opts: { json?: boolean }) => {
      const webhooks = await withX(io, ['app'], (api) => api.listWebhooks());
      if (opts.json) {
        for (const w of webhooks) io.out(JSON.stringify(w));
        return;
      }
      io.out(
        renderTable(
          ['ID', 'URL', 'VALID', 'CREATED'],
          webhooks.map((w) => [w.id, w.url, String(w.valid), w.created_at ?? '']),
        ),
      );
      io.err(`${webhooks.length} webhook(s)`);
    });

  webhook
    .command('validate <webhook-id>')
    .description('Ask X to re-run the CRC against the webhook (re-enables it when it passes)')
    .option('--json', 'print the answer as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const result = await withX(io, ['app'], (api) => api.validateWebhook(id));
      if (opts.json) io.out(JSON.stringify({ id, ...result }));
      else io.out(`webhook ${id} passed the CRC`);
    });

  webhook
    .command('delete <webhook-id>')
    .description('Delete a webhook (its subscriptions go with it)')
    .action(async (id: string) => {
      await withX(io, ['app'], (api) => api.deleteWebhook(id));
      io.out(`webhook ${id} deleted`);
    });

  x.command('subscribe')
    .description("Subscribe the account of X_ACCESS_TOKEN to a webhook's Account Activity")
    .requiredOption('--webhook <id>', 'webhook id')
    .option('--json', 'print the subscription as JSON')
    .action(async (opts: { webhook: string; json?: boolean }) => {
      const me = await withX(io, ['user'], async (api) => {
        await api.subscribe(opts.webhook);
        return api.me();
      });
      if (opts.json)
        io.out(JSON.stringify({ webhook_id: opts.webhook, user_id: me.id, username: me.username }));
      else io.out(`@${me.username} (${me.id}) subscribed to webhook ${opts.webhook}`);
    });

  x.command('unsubscribe')
    .description('Remove a subscription (by default, the account of X_ACCESS_TOKEN)')
    .requiredOption('--webhook <id>', 'webhook id')
    .option('--user <id>', 'user id to unsubscribe (default: the authenticated account)')
    .action(async (opts: { webhook: string; user?: string }) => {
      const need: XAuthKind[] = opts.user ? ['app'] : ['app', 'user'];
      const userId = await withX(io, need, async (api) => {
        const id = opts.user ?? (await api.me()).id;
        await api.unsubscribe(opts.webhook, id);
        return id;
      });
      io.out(`user ${userId} unsubscribed from webhook ${opts.webhook}`);
    });

  x.command('subscriptions')
    .description("Users subscribed to a webhook's Account Activity")
    .requiredOption('--webhook <id>', 'webhook id')
    .option('--json', 'one subscription per line, as JSON')
    .action(async (opts: { webhook: string; json?: boolean }) => {
      const list = await withX(io, ['app'], (api) => api.listSubscriptions(opts.webhook));
      if (opts.json) {
        for (const s of list.subscriptions)
          io.out(JSON.stringify({ webhook_id: list.webhook_id, user_id: s.user_id }));
        return;
      }
      io.out(
        renderTable(
          ['USER_ID'],
          list.subscriptions.map((s) => [s.user_id]),
        ),
      );
      io.err(`${list.subscriptions.length} subscription(s) on webhook ${list.webhook_id}`);
    });

  x.command('replay')
    .description(
      'Ask X to re-deliver Account Activity from a past window to the webhook (minute precision, UTC)',
    )
    .requiredOption('--webhook <id>', 'webhook id')
    .requiredOption('--from <time>', 'start: ISO time or -15m / -2h / -2d')
    .requiredOption('--to <time>', 'end (exclusive): ISO time, now, or -5m')
    .option('--json', 'print the replay job as JSON')
    .action(async (opts: { webhook: string; from: string; to: string; json?: boolean }) => {
      const now = Date.now();
      const from = parseTimeArg(opts.from, '--from', now);
      const to = parseTimeArg(opts.to, '--to', now);
      const job = await withX(io, ['app'], (api) => api.replay(opts.webhook, from, to));
      if (opts.json) io.out(JSON.stringify({ webhook_id: opts.webhook, ...job }));
      else io.out(`replay job ${job.job_id} accepted for webhook ${opts.webhook}`);
    });
}
