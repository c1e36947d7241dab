import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { type AlertingConfig, alertingConfigFromEnv, alertNotifiersFromEnv } from '@murmur/alerting';
import {
  type AnalysisCalls,
  DEFAULT_MEDIA_HOSTS,
  formatCallPlan,
  mediaLimitsFromEnv,
  parseCallPlan,
} from '@murmur/analysis';
import { replyPosterFromEnv } from '@murmur/egress';
import { consoleLogger, EmbeddedRuntime, FileBlobStore, type LogLevel } from '@murmur/embedded-runtime';
import { XMentionsSource } from '@murmur/ingress';
import { type ReplyPolicy, replyPolicyFromEnv } from '@murmur/responding';
import { createXClient, XConfigError } from '@murmur/x-client';
import type { Command } from 'commander';
import { z } from 'zod';
import { DEMO_GALLERY_DIR, type DemoMediaHost, startDemoMediaHost } from '../demo-media.js';
import { CliError, type CliIO, homeOf } from '../io.js';
import { createLocalAi } from '../local-ai.js';
import { devCredentialsPath, resolveIngressConfig } from '../local-credentials.js';
import { localServices, toIngressConfigData } from '../services.js';
import { startLakeCompaction } from './lake.js';

const EnvSchema = z.object({
  MURMUR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  MURMUR_LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
  MURMUR_PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  MURMUR_HOST: z.string().default('127.0.0.1'),
  /** Poll mentions every N seconds (X API credentials needed; see docs/ingress.md). */
  MURMUR_POLL_SECONDS: z.coerce.number().int().min(15).optional(),
  /** Named photos of known people, standing in for Rekognition's celebrities (docs/analysis.md). */
  MURMUR_GALLERY: z.string().min(1).optional(),
  /** Worker threads for the local vision models. */
  MURMUR_VISION_THREADS: z.coerce.number().int().min(1).max(8).default(1),
  /** Port of the loopback host serving the demo photos of `murmur simulate` (default: the webhook port + 1). */
  MURMUR_DEMO_MEDIA_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
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
      const port = opts.port ?? env.data.MURMUR_PORT;
      const host = opts.host ?? env.data.MURMUR_HOST;
      const mediaEnv = (extraHost?: string) => ({
        ...io.env,
        // The demo photos' host is allowed next to X's, unless the user lists the hosts.
        MURMUR_MEDIA_HOSTS:
          io.env.MURMUR_MEDIA_HOSTS || [DEFAULT_MEDIA_HOSTS, ...(extraHost ? [extraHost] : [])].join(','),
      });
      let replyPolicy: ReplyPolicy;
      let analysisCalls: AnalysisCalls;
      let alerting: AlertingConfig;
      let notifiers: ReturnType<typeof alertNotifiersFromEnv>;
      let egress: ReturnType<typeof replyPosterFromEnv>;
      try {
        mediaLimitsFromEnv(mediaEnv());
        replyPolicy = replyPolicyFromEnv(io.env);
        analysisCalls = namedEnv('MURMUR_ANALYSIS_CALLS', () => parseCallPlan(io.env.MURMUR_ANALYSIS_CALLS));
        alerting = alertingConfigFromEnv(io.env);
        notifiers = alertNotifiersFromEnv(io.env);
        egress = replyPosterFromEnv(io.env, { outboxDir: join(home.root, 'outbox') });
      } catch (error) {
        throw new CliError(`bad environment: ${error instanceof Error ? error.message : String(error)}`);
      }
      const pollOptions = poll
        ? {
            poll: {
              everySeconds: poll,
              accountIds: [...ingress.config.accountIds],
              source: new XMentionsSource(xClientOrFail(io.env)),
            },
          }
        : {};
      const galleryDir = env.data.MURMUR_GALLERY ?? join(home.root, 'gallery');
      if (!env.data.MURMUR_GALLERY && !existsSync(galleryDir)) {
        // A new home starts with the demo gallery, so `murmur simulate` shows a known person named.
        cpSync(DEMO_GALLERY_DIR, galleryDir, { recursive: true });
      }

      const demoPort = env.data.MURMUR_DEMO_MEDIA_PORT ?? (port === 0 ? 0 : port + 1);
      const demoMedia = await startDemoMediaHost(host, demoPort).catch((error: Error) => {
        throw new CliError(
          `cannot serve the demo photos on ${host}:${demoPort} (${error.message}); set MURMUR_DEMO_MEDIA_PORT`,
        );
      });
      const media = mediaLimitsFromEnv(mediaEnv(demoMedia.hostPort));
      const blobs = new FileBlobStore(home.media);
      const ai = createLocalAi({ blobs, galleryDir, visionThreads: env.data.MURMUR_VISION_THREADS });
      await ai.warmUp();
      const services = localServices({
        media: () => media,
        replyPolicy,
        analysisCalls,
        alerting,
        replyPoster: egress.poster,
        ingress: () => ingress.config,
        ingressOptions: pollOptions,
      });
      const runtime = await startRuntime(demoMedia, ai, {
        home,
        services,
        log,
        sdk: ai.sdk,
        blobs,
        notifiers,
        http: {
          port,
          host,
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
      // Raw lake files stay as on S3; sealed ones are compacted for fast queries every minute.
      const compaction = startLakeCompaction(home, log);
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
        `  analysis  local models; calls ${formatCallPlan(analysisCalls) || '(none optional)'}; media in ${home.media}; known people in ${galleryDir}`,
      );
      io.out(`  alerts    ${describeAlerts(alerting, notifiers, analysisCalls)}`);
      io.out(`  replies   ${egress.description}`);
      io.out(`  lake      every event in ${join(home.root, 'lake')}; query it: pnpm murmur query --list`);
      io.out(`  demo      photos for simulate at ${demoMedia.origin}`);
      io.out(
        ingress.origin === 'environment'
          ? `  X         accounts ${[...ingress.config.accountIds].join(', ')} (X_CONSUMER_SECRET from the environment)`
          : `  X         no X_CONSUMER_SECRET/X_ACCOUNT_ID set: development credentials in ${devCredentialsPath(home.root)}`,
      );
      io.out('Try, in another terminal: pnpm murmur simulate   (and watch: pnpm murmur events tail)');
      io.out('Ctrl-C to stop.');
      await io.interrupted;
      io.err('stopping: finishing deliveries in flight');
      await compaction.stop();
      await runtime.stop();
      await ai.close();
      await demoMedia.close();
      io.err('stopped');
    });
}

/** Starts the runtime; if it cannot start, what was started for it is stopped too. */
async function startRuntime(
  demoMedia: DemoMediaHost,
  ai: { close(): Promise<void> },
  options: Parameters<typeof EmbeddedRuntime.start>[0],
): Promise<EmbeddedRuntime> {
  try {
    return await EmbeddedRuntime.start(options);
  } catch (error) {
    await ai.close();
    await demoMedia.close();
    throw error;
  }
}

/** The alert conditions and where alerts go, never a webhook URL (it is a secret). */
function describeAlerts(
  alerting: AlertingConfig,
  notifiers: ReturnType<typeof alertNotifiersFromEnv>,
  calls: AnalysisCalls,
): string {
  const conditions = ['negative sentiment'];
  const unanalysed: string[] = [];
  if (alerting.toxicityThreshold !== null) {
    conditions.push(`toxicity >= ${alerting.toxicityThreshold}`);
    if (!calls.toxicity) unanalysed.push('toxicity');
  }
  if (alerting.moderationMinConfidence !== null) {
    conditions.push('moderation labels');
    if (!calls.moderation) unanalysed.push('moderation');
  }
  if (alerting.keywords.length > 0) conditions.push(`${alerting.keywords.length} keyword(s)`);
  const authors = alerting.watchedScreenNames.length + alerting.watchedAuthorIds.length;
  if (authors > 0) conditions.push(`${authors} watched author(s)`);
  const targets = Object.values(notifiers).flat();
  const webhooks = targets.filter((n) => n.kind === 'webhook').length;
  const to = [
    ...(targets.some((n) => n.kind === 'console') ? ['the console'] : []),
    ...(webhooks > 0 ? [`${webhooks} webhook(s)`] : []),
  ];
  const hint =
    unanalysed.length > 0
      ? ` (${unanalysed.join(' and ')} alerts need MURMUR_ANALYSIS_CALLS to include ${unanalysed.join(',')})`
      : '';
  return `${conditions.join(', ')} -> ${to.join(' and ') || 'nowhere'}${hint}`;
}

/** Runs a parser of one variable, naming the variable in its error. */
function namedEnv<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function xClientOrFail(env: NodeJS.ProcessEnv) {
  try {
    return createXClient(env);
  } catch (error) {
    if (error instanceof XConfigError) throw new CliError(`MURMUR_POLL_SECONDS is set: ${error.message}`);
    throw error;
  }
}
