import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { readJsonObjectArg } from '../json-arg.js';
import { withBus } from '../open-bus.js';
import { renderTable } from '../table.js';

export function registerArchive(program: Command, io: CliIO): void {
  const archive = program.command('archive').description('Archives of events, for replay');

  archive
    .command('list')
    .description('Archives with their pattern, retention, event count and size')
    .option('--json', 'one archive per line, as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withBus(io, (bus) => {
        const archives = bus.listArchives();
        if (opts.json) {
          for (const a of archives) io.out(JSON.stringify(a));
          return;
        }
        io.out(
          renderTable(
            ['NAME', 'EVENTS', 'SIZE', 'RETENTION', 'PATTERN'],
            archives.map((a) => [
              a.name,
              a.eventCount,
              `${a.sizeBytes} B`,
              a.retentionDays === 0 ? 'forever' : `${a.retentionDays} d`,
              JSON.stringify(a.eventPattern),
            ]),
          ),
        );
      });
    });

  archive
    .command('create')
    .description('Create an archive of the events matching a pattern')
    .requiredOption('--name <name>', 'archive name')
    .requiredOption('--pattern <json>', 'event pattern (JSON, or @file.json)')
    .option('--retention <days>', 'days to keep events, 0 = forever', (v) => Number.parseInt(v, 10), 0)
    .option('--description <text>', 'what it is for', '')
    .action(async (opts: { name: string; pattern: string; retention: number; description: string }) => {
      await withBus(io, (bus) => {
        bus.createArchive({
          name: opts.name,
          eventPattern: readJsonObjectArg(opts.pattern, '--pattern', io.cwd),
          retentionDays: opts.retention,
          description: opts.description,
        });
        io.out(`archive ${opts.name} created`);
      });
    });

  archive
    .command('delete')
    .description('Delete an archive and what it holds')
    .argument('<name>')
    .action(async (name: string) => {
      await withBus(io, (bus) => {
        bus.deleteArchive(name);
        io.out(`archive ${name} deleted`);
      });
    });
}
