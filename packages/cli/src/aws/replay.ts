// EventBridge archive replay: start one on the Murmur archive, follow it until it ends, list them.
// EventBridge replays minute by minute of event time; `EventLastReplayedTime` is the only
// progress it reports, so progress is how far that time has come between start and end.
import { randomBytes } from 'node:crypto';
import {
  CancelReplayCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  type DescribeReplayResponse,
  DescribeRuleCommand,
  type EventBridgeClient,
  ListReplaysCommand,
  type Replay,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { CliError } from '../io.js';
import { shortName } from './arn.js';
import { awsCall, awsError, errorNameOf } from './clients.js';
import { type Interruption, sleep } from './poll.js';

/** EventBridge's rule for replay names. */
export const REPLAY_NAME_PATTERN = /^[.\-_A-Za-z0-9]{1,64}$/;

export const FINAL_REPLAY_STATES: readonly string[] = ['COMPLETED', 'FAILED', 'CANCELLED'];

export interface AwsReplayStatus {
  replayName: string;
  replayArn: string | null;
  state: string;
  stateReason: string | null;
  archiveArn: string | null;
  archiveName: string | null;
  /** The bus the events go back to. */
  destinationArn: string | null;
  /** Only these rules get the events (FilterArns); null: every rule that matches. */
  ruleArns: string[] | null;
  eventStartTime: string | null;
  eventEndTime: string | null;
  eventLastReplayedTime: string | null;
  replayStartTime: string | null;
  replayEndTime: string | null;
}

/** `replay-20250102T030405Z-1a2b3c`: sortable, valid, and unique even when two start in one second. */
export function newReplayName(now = new Date(), suffix = randomBytes(3).toString('hex')): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `replay-${stamp}-${suffix}`;
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

function statusOf(r: Replay | DescribeReplayResponse): AwsReplayStatus {
  const described = r as DescribeReplayResponse;
  return {
    replayName: r.ReplayName ?? '',
    replayArn: described.ReplayArn ?? null,
    state: r.State ?? 'UNKNOWN',
    stateReason: r.StateReason || null,
    archiveArn: r.EventSourceArn ?? null,
    archiveName: r.EventSourceArn ? shortName(r.EventSourceArn) : null,
    destinationArn: described.Destination?.Arn ?? null,
    ruleArns: described.Destination?.FilterArns?.length ? described.Destination.FilterArns : null,
    eventStartTime: iso(r.EventStartTime),
    eventEndTime: iso(r.EventEndTime),
    eventLastReplayedTime: iso(r.EventLastReplayedTime),
    replayStartTime: iso(r.ReplayStartTime),
    replayEndTime: iso(r.ReplayEndTime),
  };
}

/** How far the replay has come through its window, 0..1. */
export function replayProgress(status: AwsReplayStatus): number {
  if (status.state === 'COMPLETED') return 1;
  if (!status.eventStartTime || !status.eventEndTime || !status.eventLastReplayedTime) return 0;
  const start = Date.parse(status.eventStartTime);
  const span = Date.parse(status.eventEndTime) - start;
  if (!(span > 0)) return 0;
  return Math.min(1, Math.max(0, (Date.parse(status.eventLastReplayedTime) - start) / span));
}

export interface StartAwsReplayInput {
  archiveName: string;
  eventStartTime: Date;
  eventEndTime: Date;
  replayName: string;
  /** Rule names on the archive's bus; only they get the events. */
  ruleNames?: string[];
  description?: string;
}

/**
 * Starts a replay of the archive's window back onto the bus the archive records (its
 * EventSourceArn), optionally only to some rules. Checks what EventBridge would refuse first,
 * so a mistake reads as one clear line.
 */
export async function startAwsReplay(
  events: EventBridgeClient,
  input: StartAwsReplayInput,
): Promise<AwsReplayStatus> {
  if (!REPLAY_NAME_PATTERN.test(input.replayName)) {
    throw new CliError(
      `replay name "${input.replayName}" is not valid: 1 to 64 of A-Z a-z 0-9 . - _ (EventBridge's rule)`,
    );
  }
  const startMs = input.eventStartTime.getTime();
  const endMs = input.eventEndTime.getTime();
  if (Number.isNaN(startMs) || Number.isNaN(endMs)) throw new CliError('start and end must be valid times');
  if (startMs >= endMs) throw new CliError('the replay start time must be before its end time');

  const archive = await awsCall(
    `EventBridge DescribeArchive ${input.archiveName}`,
    () => events.send(new DescribeArchiveCommand({ ArchiveName: input.archiveName })),
    {
      ResourceNotFoundException: `archive ${input.archiveName} does not exist in this account and region (deploy Murmur-Plumbing, or pass --archive)`,
    },
  );
  const archiveArn = archive.ArchiveArn;
  const busArn = archive.EventSourceArn;
  if (!archiveArn || !busArn) {
    throw new CliError(`archive ${input.archiveName}: EventBridge returned no ARN for it or for its bus`);
  }

  const ruleArns: string[] = [];
  for (const ruleName of input.ruleNames ?? []) {
    const rule = await awsCall(
      `EventBridge DescribeRule ${ruleName}`,
      () => events.send(new DescribeRuleCommand({ Name: ruleName, EventBusName: busArn })),
      { ResourceNotFoundException: `rule ${ruleName} does not exist on bus ${shortName(busArn)}` },
    );
    if (!rule.Arn) throw new CliError(`rule ${ruleName}: EventBridge returned no ARN for it`);
    ruleArns.push(rule.Arn);
  }

  const started = await awsCall(
    `EventBridge StartReplay ${input.replayName}`,
    () =>
      events.send(
        new StartReplayCommand({
          ReplayName: input.replayName,
          ...(input.description ? { Description: input.description.slice(0, 512) } : {}),
          EventSourceArn: archiveArn,
          EventStartTime: input.eventStartTime,
          EventEndTime: input.eventEndTime,
          Destination: { Arn: busArn, ...(ruleArns.length ? { FilterArns: ruleArns } : {}) },
        }),
      ),
    {
      ResourceAlreadyExistsException: `a replay named ${input.replayName} already exists: choose another --name`,
    },
  );
  return {
    replayName: input.replayName,
    replayArn: started.ReplayArn ?? null,
    state: started.State ?? 'STARTING',
    stateReason: started.StateReason || null,
    archiveArn,
    archiveName: input.archiveName,
    destinationArn: busArn,
    ruleArns: ruleArns.length ? ruleArns : null,
    eventStartTime: input.eventStartTime.toISOString(),
    eventEndTime: input.eventEndTime.toISOString(),
    eventLastReplayedTime: null,
    replayStartTime: iso(started.ReplayStartTime),
    replayEndTime: null,
  };
}

export async function describeAwsReplay(
  events: EventBridgeClient,
  replayName: string,
): Promise<AwsReplayStatus> {
  const described = await awsCall(
    `EventBridge DescribeReplay ${replayName}`,
    () => events.send(new DescribeReplayCommand({ ReplayName: replayName })),
    { ResourceNotFoundException: `no replay named ${replayName} in this account and region` },
  );
  return statusOf(described);
}

/** Asks EventBridge to stop the replay; one that has already ended is left as it is. */
export async function cancelAwsReplay(events: EventBridgeClient, replayName: string): Promise<void> {
  try {
    await events.send(new CancelReplayCommand({ ReplayName: replayName }));
  } catch (error) {
    // Ended (or ending) between our last look and the cancel: its final state says what happened.
    if (errorNameOf(error) === 'IllegalStatusException') return;
    throw awsError(`EventBridge CancelReplay ${replayName}`, error);
  }
}

export interface WatchReplayOptions {
  intervalMs: number;
  /** Ctrl-C: the replay is cancelled, and the watch goes on until EventBridge says CANCELLED. */
  interruption: Interruption;
  onStatus?: (status: AwsReplayStatus) => void;
  onCancelling?: () => void;
}

export interface WatchedReplay {
  status: AwsReplayStatus;
  /** The user interrupted, and the replay ended CANCELLED. */
  cancelledByUser: boolean;
}

/** DescribeReplay every `intervalMs` until COMPLETED, FAILED or CANCELLED. */
export async function watchAwsReplay(
  events: EventBridgeClient,
  replayName: string,
  options: WatchReplayOptions,
): Promise<WatchedReplay> {
  let cancelRequested = false;
  for (;;) {
    const status = await describeAwsReplay(events, replayName);
    options.onStatus?.(status);
    if (FINAL_REPLAY_STATES.includes(status.state)) {
      return { status, cancelledByUser: cancelRequested && status.state === 'CANCELLED' };
    }
    if (cancelRequested) {
      await sleep(options.intervalMs);
      continue;
    }
    if (await options.interruption.pause(options.intervalMs)) {
      cancelRequested = true;
      options.onCancelling?.();
      await cancelAwsReplay(events, replayName);
    }
  }
}

/** Every replay of the account and region, newest first. */
export async function listAwsReplays(events: EventBridgeClient): Promise<AwsReplayStatus[]> {
  const replays: AwsReplayStatus[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall('EventBridge ListReplays', () =>
      events.send(new ListReplaysCommand({ Limit: 100, ...(token ? { NextToken: token } : {}) })),
    );
    for (const r of page.Replays ?? []) replays.push(statusOf(r));
    token = page.NextToken;
  } while (token);
  return replays.sort((a, b) => (b.replayStartTime ?? '').localeCompare(a.replayStartTime ?? ''));
}
