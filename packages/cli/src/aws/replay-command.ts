// `murmur replay --aws`: the same options and output as the local replay, on EventBridge.
import cliProgress from 'cli-progress';
import { CliError, type CliIO } from '../io.js';
import { renderTable } from '../table.js';
import { parseTimeArg } from '../time-arg.js';
import { shortName } from './arn.js';
import { type AwsConnectionOptions, createAwsClients, requireRegion } from './clients.js';
import { Interruption, pollIntervalMs } from './poll.js';
import {
  type AwsReplayStatus,
  describeAwsReplay,
  listAwsReplays,
  newReplayName,
  replayProgress,
  startAwsReplay,
  watchAwsReplay,
} from './replay.js';

export interface AwsReplayCommandOptions extends AwsConnectionOptions {
  archive: string;
  start: string;
  end: string;
  name?: string;
  rules?: string;
  json?: boolean;
  /** false (`--no-wait`): start it and return; it runs on AWS regardless. */
  wait?: boolean;
}

function describeLine(s: AwsReplayStatus): string {
  const rules = s.ruleArns
    ? ` to rules ${s.ruleArns.map(shortName).join(', ')}`
    : ' to every rule that accepts replays';
  const bus = s.destinationArn ? ` on bus ${shortName(s.destinationArn)}` : '';
  return (
    `replay ${s.replayName} ${s.state}: events up to ${s.eventLastReplayedTime ?? '-'} ` +
    `from archive ${s.archiveName ?? '?'} (${s.eventStartTime} .. ${s.eventEndTime})${bus}${rules}`
  );
}

/** COMPLETED returns; anything else is an error with the reason, 130 when the user cancelled it. */
function finalVerdict(status: AwsReplayStatus, cancelledByUser: boolean): void {
  if (status.state === 'COMPLETED') return;
  if (cancelledByUser) {
    throw new CliError(
      `replay ${status.replayName} cancelled (Ctrl-C): events up to ${status.eventLastReplayedTime ?? '-'} were replayed`,
      130,
    );
  }
  if (status.state === 'FAILED') {
    throw new CliError(
      `replay ${status.replayName} FAILED: ${status.stateReason ?? 'EventBridge gave no reason'}`,
    );
  }
  throw new CliError(
    `replay ${status.replayName} ended ${status.state}${status.stateReason ? `: ${status.stateReason}` : ''}`,
  );
}

export async function runAwsReplay(io: CliIO, opts: AwsReplayCommandOptions): Promise<void> {
  const start = parseTimeArg(opts.start, '--start');
  const end = parseTimeArg(opts.end, '--end');
  const { events } = createAwsClients(opts, io.env);
  const region = await requireRegion(events);
  const replayName = opts.name ?? newReplayName();
  const ruleNames = opts.rules
    ?.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const started = await startAwsReplay(events, {
    replayName,
    archiveName: opts.archive,
    eventStartTime: start,
    eventEndTime: end,
    ...(ruleNames?.length ? { ruleNames } : {}),
    description: `murmur replay --aws: ${start.toISOString()} .. ${end.toISOString()}`,
  });

  if (opts.wait === false) {
    io.out(opts.json ? JSON.stringify(started) : describeLine(started));
    if (!opts.json)
      io.err(`running on AWS (${region}); follow it with: murmur replay --aws describe ${replayName}`);
    return;
  }
  if (!opts.json) {
    io.err(
      `replay ${replayName} started on AWS (${region}); Ctrl-C cancels it (--no-wait leaves it running)`,
    );
  }
  const bar = opts.json
    ? undefined
    : new cliProgress.SingleBar(
        {
          format: 'replaying [{bar}] {percentage}% | events up to {last} | {state}',
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      );
  bar?.start(100, 0, { last: '-', state: started.state });
  let watched: Awaited<ReturnType<typeof watchAwsReplay>>;
  try {
    watched = await watchAwsReplay(events, replayName, {
      intervalMs: pollIntervalMs(io.env),
      interruption: new Interruption(io.interrupted),
      onStatus: (s) =>
        bar?.update(Math.floor(replayProgress(s) * 100), {
          last: s.eventLastReplayedTime ?? '-',
          state: s.state,
        }),
      onCancelling: () => {
        if (!opts.json) io.err(`cancelling replay ${replayName}...`);
      },
    });
  } finally {
    bar?.stop();
  }
  io.out(opts.json ? JSON.stringify(watched.status) : describeLine(watched.status));
  finalVerdict(watched.status, watched.cancelledByUser);
}

export async function runAwsReplayList(
  io: CliIO,
  opts: AwsConnectionOptions & { json?: boolean },
): Promise<void> {
  const { events } = createAwsClients(opts, io.env);
  await requireRegion(events);
  const replays = await listAwsReplays(events);
  if (opts.json) {
    for (const r of replays) io.out(JSON.stringify(r));
    return;
  }
  io.out(
    renderTable(
      ['NAME', 'STATE', 'ARCHIVE', 'FROM', 'TO', 'REPLAYED UP TO', 'STARTED', 'REASON'],
      replays.map((r) => [
        r.replayName,
        r.state,
        r.archiveName ?? '-',
        r.eventStartTime ?? '-',
        r.eventEndTime ?? '-',
        r.eventLastReplayedTime ?? '-',
        r.replayStartTime ?? '-',
        r.stateReason ?? '',
      ]),
    ),
  );
}

export async function runAwsReplayDescribe(
  io: CliIO,
  name: string,
  opts: AwsConnectionOptions,
): Promise<void> {
  const { events } = createAwsClients(opts, io.env);
  await requireRegion(events);
  io.out(JSON.stringify(await describeAwsReplay(events, name), null, 2));
}
