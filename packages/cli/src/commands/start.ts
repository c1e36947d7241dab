import { consoleLogger, EmbeddedRuntime, type LogLevel } from '@murmur/embedded-runtime';
import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, type CliIO, homeOf } from '../io.js';
import { localServices } from '../services.js';

const EnvSchema = z.object({
  MURMUR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  MURMUR_LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
});

export function registerStart(program: Command, io: CliIO): void {
  program
    .command('start')
    .description('Run Murmur on the embedded runtime (bus, archive, services) until Ctrl-C')
    .action(async () => {
      const env = EnvSchema.safeParse(io.env);
      if (!env.success) throw new CliError(`bad environment: ${z.prettifyError(env.error)}`);
      const home = homeOf(io);
      const log = consoleLogger({
        level: env.data.MURMUR_LOG_LEVEL as LogLevel,
        format: env.data.MURMUR_LOG_FORMAT,
        write: io.err,
      });
      const services = localServices();
      const runtime = EmbeddedRuntime.start({ home, services, log });
      const rules = runtime.bus.listRules();
      const archives = runtime.bus.listArchives();
      io.out('Murmur embedded runtime is up');
      io.out(`  home      ${home.root}`);
      io.out(`  bus       ${runtime.bus.name} (SQLite, WAL) ${home.busDb}`);
      io.out(`  services  ${services.map((s) => s.name).join(', ')}`);
      io.out(`  rules     ${rules.map((r) => r.name).join(', ')}`);
      io.out(`  archives  ${archives.map((a) => `${a.name} (${a.eventCount} events)`).join(', ')}`);
      io.out(`  pending   ${runtime.bus.pendingDeliveries()} deliveries`);
      io.out('Try, in another terminal: pnpm murmur events put --example MESSAGE_RECEIVED');
      io.out('Ctrl-C to stop.');
      await io.interrupted;
      io.err('stopping: finishing deliveries in flight');
      await runtime.stop();
      io.err('stopped');
    });
}
