import { PublishError } from '@murmur/embedded-bus';
import { EVENT_COUNTER } from '@murmur/embedded-runtime';
import { type CompiledPattern, compilePattern, InvalidEventPatternError } from '@murmur/event-pattern';
import { type EventEnvelope, loadExamples } from '@murmur/events';
import type { Command } from 'commander';
import { CliError, type CliIO } from '../io.js';
import { readJsonObjectArg, readTextArg } from '../json-arg.js';
import { runtimeRunning, withBus } from '../open-bus.js';
import { renderTable } from '../table.js';
import { parseTimeArg } from '../time-arg.js';

function patternArg(value: string | undefined, io: CliIO): CompiledPattern | undefined {
  if (value === undefined) return undefined;
  // Bad JSON is an invalid pattern too (exit 2), as TestEventPattern answers.
  const text = value.startsWith('@') ? readTextArg(value, '--pattern', io.cwd) : value;
  try {
    return compilePattern(text);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new CliError(error.message, 2);
    throw error;
  }
}

function summary(envelope: EventEnvelope): string {
  const replay = envelope['replay-name'] ? ` replay=${envelope['replay-name']}` : '';
  return `${envelope.time}  ${envelope.source}  ${envelope['detail-type']}  ${envelope.id}${replay}`;
}

export function registerEvents(program: Command, io: CliIO): void {
  const events = program.command('events').description('Publish, watch, list and match events on the bus');

  events
    .command('test-pattern')
    .description('Does the event match the pattern? Prints true or false, like EventBridge TestEventPattern')
    .requiredOption('--pattern <json>', 'event pattern (JSON, or @file.json)')
    .requiredOption('--event <json>', 'event envelope (JSON, or @file.json)')
    .action((opts: { pattern: string; event: string }) => {
      const pattern = patternArg(opts.pattern, io)!;
      const event = readJsonObjectArg(opts.event, '--event', io.cwd);
      io.out(String(pattern.matches(event)));
    });

  events
    .command('put')
    .description('Publish one event (validated against the catalog) and print its id')
    .option('--source <source>', 'e.g. murmur.ingress')
    .option('--detail-type <type>', 'e.g. MESSAGE_RECEIVED')
    .option('--detail <json>', 'the detail (JSON, or @file.json)')
    .option('--example <detailType>', "publish the catalog's valid example of this detail-type")
    .action(async (opts: { source?: string; detailType?: string; detail?: string; example?: string }) => {
      let entry: { source: string; detailType: string; detail: Record<string, unknown> };
      if (opts.example) {
        const example = loadExamples().find((e) => e.valid && e.detailType === opts.example);
        if (!example) throw new CliError(`no valid example for detail-type ${opts.example}`);
        entry = {
          source: example.envelope.source,
          detailType: example.envelope['detail-type'],
          detail: example.envelope.detail,
        };
      } else {
        if (!opts.source || !opts.detailType || !opts.detail) {
          throw new CliError('events put needs --source, --detail-type and --detail (or --example)');
        }
        entry = {
          source: opts.source,
          detailType: opts.detailType,
          detail: readJsonObjectArg(opts.detail, '--detail', io.cwd),
        };
      }
      await withBus(io, async (bus) => {
        try {
          // The CLI speaks for the operator: any catalog event, validated like any publish.
          const { eventIds } = await bus.publish(entry as never);
          io.out(eventIds[0]!);
        } catch (error) {
          if (error instanceof PublishError) throw new CliError(`rejected: ${error.entryErrors[0]!.message}`);
          throw error;
        }
        if (!runtimeRunning(bus))
          io.err('note: no runtime is running on this home; `murmur start` delivers it');
      });
    });

  events
    .command('tail')
    .description('Print events as they enter the bus (replays included), optionally filtered by a pattern')
    .option('--pattern <json>', 'only events matching this pattern')
    .option('--json', 'one envelope per line, as JSON')
    .option('--since <time>', 'start from events ingested since this time (now, ISO, -15m)')
    .option('--count <n>', 'exit after this many events', (v) => Number.parseInt(v, 10))
    .option('--poll-ms <ms>', 'how often to look for new events', (v) => Number.parseInt(v, 10), 200)
    .action(
      async (opts: { pattern?: string; json?: boolean; since?: string; count?: number; pollMs: number }) => {
        const pattern = patternArg(opts.pattern, io);
        await withBus(io, async (bus) => {
          let cursor = bus.lastSeq();
          if (opts.since) {
            const since = parseTimeArg(opts.since, '--since').getTime();
            const row = bus.db
              .prepare<[number], { seq: number | null }>(
                `SELECT MIN(seq) - 1 AS seq FROM events WHERE ingested_ms >= ?`,
              )
              .get(since);
            cursor = row?.seq ?? cursor;
          }
          let printed = 0;
          let stop = false;
          void io.interrupted.then(() => {
            stop = true;
          });
          if (!opts.json) io.err(`tailing the bus at ${bus.db.name} (Ctrl-C to stop)`);
          while (!stop) {
            for (const stored of bus.eventsAfter(cursor)) {
              cursor = stored.seq;
              if (pattern && !pattern.matches(stored.envelope)) continue;
              io.out(opts.json ? JSON.stringify(stored.envelope) : summary(stored.envelope));
              printed++;
              if (opts.count !== undefined && printed >= opts.count) return;
            }
            await Promise.race([new Promise((r) => setTimeout(r, opts.pollMs)), io.interrupted]);
          }
        });
      },
    );

  events
    .command('list')
    .description('Print archived events, oldest first')
    .option('--json', 'one envelope per line, as JSON')
    .option('--pattern <json>', 'only events matching this pattern')
    .option('--archive <name>', 'only this archive (default: all archives)')
    .option('--start <time>', 'from this event time (now, ISO, -15m)')
    .option('--end <time>', 'before this event time')
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10))
    .action(
      async (opts: {
        json?: boolean;
        pattern?: string;
        archive?: string;
        start?: string;
        end?: string;
        limit?: number;
      }) => {
        const pattern = patternArg(opts.pattern, io);
        await withBus(io, (bus) => {
          if (opts.archive && !bus.archiveExists(opts.archive))
            throw new CliError(`archive ${opts.archive} does not exist`);
          const stored = bus.archivedEvents(opts.archive, {
            ...(opts.start ? { startMs: parseTimeArg(opts.start, '--start').getTime() } : {}),
            ...(opts.end ? { endMs: parseTimeArg(opts.end, '--end').getTime() } : {}),
          });
          let printed = 0;
          for (const { envelope } of stored) {
            if (pattern && !pattern.matches(envelope)) continue;
            if (opts.limit !== undefined && printed >= opts.limit) break;
            io.out(opts.json ? JSON.stringify(envelope) : summary(envelope));
            printed++;
          }
          if (!opts.json) io.err(`${printed} event(s)`);
        });
      },
    );

  events
    .command('counts')
    .description('Live events per detail-type, as counted by the catch-all log (the metric filters on AWS)')
    .option('--json', 'as a JSON object')
    .action(async (opts: { json?: boolean }) => {
      await withBus(io, (bus) => {
        const counts = bus.counters(EVENT_COUNTER);
        if (opts.json) io.out(JSON.stringify(counts));
        else io.out(renderTable(['DETAIL-TYPE', 'COUNT'], Object.entries(counts)));
      });
    });
}
