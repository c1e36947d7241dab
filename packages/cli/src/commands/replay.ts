import { describeReplay, listReplays, type ReplayStatus, startReplay } from '@murmur/embedded-bus';
import { PLUMBING_DEFAULTS } from '@murmur/plumbing';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { CliError, type CliIO } from '../io.js';
import { runtimeRunning, withBus } from '../open-bus.js';
import { renderTable } from '../table.js';
import { parseTimeArg } from '../time-arg.js';

function describeLine(s: ReplayStatus): string {
  const rules = s.ruleNames ? ` to rules ${s.ruleNames.join(', ')}` : ' to every rule that accepts replays';
  return (
    `replay ${s.replayName} ${s.state}: ${s.replayed} of ${s.total} event(s) from archive ${s.archiveName} ` +
    `(${s.eventStartTime} .. ${s.eventEndTime})${rules}`
  );
}

interface AwsFlags {
  aws?: boolean;
  region?: string;
  profile?: string;
  wait?: boolean;
}

/** --region, --profile and --no-wait only mean something on AWS: say so rather than ignore them. */
function awsOnly(opts: AwsFlags): void {
  if (opts.aws) return;
  const given = [opts.region && '--region', opts.profile && '--profile', opts.wait === false && '--no-wait'];
  const flags = given.filter(Boolean);
  if (flags.length)
    throw new CliError(`${flags.join(', ')} only ${flags.length === 1 ? 'goes' : 'go'} with --aws`);
}

const awsConnection = (opts: AwsFlags) => ({
  ...(opts.region ? { region: opts.region } : {}),
  ...(opts.profile ? { profile: opts.profile } : {}),
});

export function registerReplay(program: Command, io: CliIO): void {
  const replay = program
    .command('replay')
    .description(
      'Replay archived events to the bus, with replay-name set (rules excluding replays skip them)',
    )
    .option(
      '--aws',
      "replay on AWS: the EventBridge archive of the deployed Murmur stacks (SDK's credential chain)",
    )
    .option(
      '--region <region>',
      'with --aws: the AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)',
    )
    .option('--profile <name>', 'with --aws: the AWS profile (default: AWS_PROFILE)')
    .option('--no-wait', 'with --aws: start the replay and return, without following it')
    .option('--archive <name>', 'archive to replay from', PLUMBING_DEFAULTS.archiveName)
    .option('--start <time>', 'event time from (now, ISO, -15m, -2h, -7d)', '-1h')
    .option('--end <time>', 'event time until (exclusive)', 'now')
    .option('--name <name>', 'replay name (default: replay-<timestamp>)')
    .option('--rules <names>', 'only these rules, comma-separated (EventBridge FilterArns)')
    .option('--json', 'print the final status as JSON instead of a progress bar and summary')
    .action(
      async (
        opts: {
          archive: string;
          start: string;
          end: string;
          name?: string;
          rules?: string;
          json?: boolean;
        } & AwsFlags,
      ) => {
        awsOnly(opts);
        if (opts.aws) {
          // Loaded only with --aws: the AWS SDK clients take about 0.4 s to import.
          const { runAwsReplay } = await import('../aws/replay-command.js');
          await runAwsReplay(io, {
            ...awsConnection(opts),
            archive: opts.archive,
            start: opts.start,
            end: opts.end,
            ...(opts.name !== undefined ? { name: opts.name } : {}),
            ...(opts.rules !== undefined ? { rules: opts.rules } : {}),
            json: opts.json ?? false,
            wait: opts.wait ?? true,
          });
          return;
        }
        const start = parseTimeArg(opts.start, '--start');
        const end = parseTimeArg(opts.end, '--end');
        // A replay that ends "now" must include events published this very second.
        const endTime = opts.end === 'now' ? new Date(end.getTime() + 1) : end;
        const name =
          opts.name ??
          `replay-${new Date()
            .toISOString()
            .replace(/[-:.TZ]/g, '')
            .slice(0, 17)}`;
        await withBus(io, async (bus) => {
          const bar = opts.json
            ? undefined
            : new cliProgress.SingleBar(
                {
                  format: 'replaying [{bar}] {percentage}% | {value}/{total} events',
                  stream: process.stderr,
                },
                cliProgress.Presets.shades_classic,
              );
          let started = false;
          const status = await startReplay(
            bus,
            {
              replayName: name,
              archiveName: opts.archive,
              eventStartTime: start,
              eventEndTime: endTime,
              ...(opts.rules ? { ruleNames: opts.rules.split(',').map((r) => r.trim()) } : {}),
            },
            {
              onProgress: (s) => {
                if (!bar) return;
                if (!started) {
                  bar.start(s.total, 0);
                  started = true;
                }
                bar.update(s.replayed);
              },
            },
          );
          bar?.stop();
          if (opts.json) {
            io.out(JSON.stringify(status));
            return;
          }
          io.out(describeLine(status));
          if (!runtimeRunning(bus))
            io.err('note: no runtime is running on this home; `murmur start` delivers them');
        });
      },
    );

  replay
    .command('list')
    .description('Replays, newest first')
    .option('--json', 'one replay per line, as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      // Parent options (--aws, --region, --json) may be written before or after `list`.
      const opts = cmd.optsWithGlobals<{ json?: boolean } & AwsFlags>();
      awsOnly(opts);
      if (opts.aws) {
        const { runAwsReplayList } = await import('../aws/replay-command.js');
        await runAwsReplayList(io, { ...awsConnection(opts), json: opts.json ?? false });
        return;
      }
      await withBus(io, (bus) => {
        const replays = listReplays(bus);
        if (opts.json) {
          for (const r of replays) io.out(JSON.stringify(r));
          return;
        }
        io.out(
          renderTable(
            ['NAME', 'STATE', 'REPLAYED', 'ARCHIVE', 'FROM', 'TO'],
            replays.map((r) => [
              r.replayName,
              r.state,
              `${r.replayed}/${r.total}`,
              r.archiveName,
              r.eventStartTime,
              r.eventEndTime,
            ]),
          ),
        );
      });
    });

  replay
    .command('describe')
    .description('One replay')
    .argument('<name>')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<AwsFlags>();
      awsOnly(opts);
      if (opts.aws) {
        const { runAwsReplayDescribe } = await import('../aws/replay-command.js');
        await runAwsReplayDescribe(io, name, awsConnection(opts));
        return;
      }
      await withBus(io, (bus) => io.out(JSON.stringify(describeReplay(bus, name), null, 2)));
    });
}
