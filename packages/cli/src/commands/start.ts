import { consoleLogger, EmbeddedRuntime, type LogLevel } from '@murmur/embedded-runtime';
import { XMentionsSource } from '@murmur/ingress';
import { createXClient, XConfigError } from '@murmur/x-client';
import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, type CliIO, homeOf } from '../io.js';
import { devCredentialsPath, resolveIngressConfig } from '../local-credentials.js';
import { localServices, toIngressConfigData } from '../services.js';

const EnvSchema = z.object({
  MURMUR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  MURMUR_LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
  MURMUR_PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  MURMUR_HOST: z.string().default('127.0.0.1'),
  /** Poll mentions every N seconds (X API credentials needed; see docs/ingress.md). */
  MURMUR_POLL_SECONDS: z.coerce.number().int().min(15).optional(),
});

const portArg = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliError(`--port ${value} is not a port`);
  return port;
};

export function registerStart(program: Command, io: CliIO): void {
  program
    .command('start')
    .description('Run Murmur on the embedded runtime (bus, archive, services, webhook) until Ctrl-C')
    .option(
      '--port <port>',
      'HTTP port for the webhook (env MURMUR_PORT, default 8787; 0 = any free port)',
      portArg,
    )
    .option('--host <host>', 'interface to listen on (env MURMUR_HOST, default 127.0.0.1)')
    .action(async (opts: { port?: number; host?: string }) => {
      const env = EnvSchema.safeParse(io.env);
      if (!env.success) throw new CliError(`bad environment: ${z.prettifyError(env.error)}`);
      const home = homeOf(io);
      const log = consoleLogger({
        level: env.data.MURMUR_LOG_LEVEL as LogLevel,
        format: env.data.MURMUR_LOG_FORMAT,
        write: io.err,
      });
      const ingress = resolveIngressConfig(io.env, home.root);
      const poll = env.data.MURMUR_POLL_SECONDS;
      const services = localServices({
        ingress: () => ingress.config,
        ingressOptions: poll
          ? {
              poll: {
                everySeconds: poll,
                accountIds: [...ingress.config.accountIds],
                source: new XMentionsSource(xClientOrFail(io.env)),
              },
            }
          : {},
      });
      const runtime = await EmbeddedRuntime.start({
        home,
        services,
        log,
        http: {
          port: opts.port ?? env.data.MURMUR_PORT,
          host: opts.host ?? env.data.MURMUR_HOST,
          // The webhook answers from its own thread, whatever the handlers here are doing.
          worker: {
            services: {
              module: new URL('../services.ts', import.meta.url).href,
              exportName: 'localServicesFromData',
              config: { ingress: toIngressConfigData(ingress.config) },
            },
            log: { level: env.data.MURMUR_LOG_LEVEL as LogLevel, format: env.data.MURMUR_LOG_FORMAT },
          },
        },
      });
      const rules = runtime.bus.listRules();
      const archives = runtime.bus.listArchives();
      io.out('Murmur embedded runtime is up');
      io.out(`  home      ${home.root}`);
      io.out(`  bus       ${runtime.bus.name} (SQLite, WAL) ${home.busDb}`);
      io.out(`  services  ${services.map((s) => s.name).join(', ')}`);
      io.out(`  rules     ${rules.map((r) => r.name).join(', ')}`);
      io.out(`  archives  ${archives.map((a) => `${a.name} (${a.eventCount} events)`).join(', ')}`);
      io.out(`  pending   ${runtime.bus.pendingDeliveries()} deliveries`);
      io.out(`  webhook   ${runtime.http?.url}/twitter`);
      if (poll) io.out(`  polling   mentions every ${poll} s`);
      io.out(
        ingress.origin === 'environment'
          ? `  X         accounts ${[...ingress.config.accountIds].join(', ')} (X_CONSUMER_SECRET from the environment)`
          : `  X         no X_CONSUMER_SECRET/X_ACCOUNT_ID set: development credentials in ${devCredentialsPath(home.root)}`,
      );
      io.out('Try, in another terminal: pnpm murmur simulate   (and watch: pnpm murmur events tail)');
      io.out('Ctrl-C to stop.');
      await io.interrupted;
      io.err('stopping: finishing deliveries in flight');
      await runtime.stop();
      io.err('stopped');
    });
}

function xClientOrFail(env: NodeJS.ProcessEnv) {
  try {
    return createXClient(env);
  } catch (error) {
    if (error instanceof XConfigError) throw new CliError(`MURMUR_POLL_SECONDS is set: ${error.message}`);
    throw error;
  }
}
