import {
  CancelReplayCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListReplaysCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  type AwsReplayStatus,
  newReplayName,
  REPLAY_NAME_PATTERN,
  replayProgress,
  startAwsReplay,
} from '../src/aws/index.js';
import { cliHome } from './helpers.js';

const eventbridge = mockClient(EventBridgeClient);

const ARCHIVE_ARN = 'arn:aws:events:eu-west-1:111122223333:archive/murmur-all-events';
const BUS_ARN = 'arn:aws:events:eu-west-1:111122223333:event-bus/murmur';
const START = '2025-03-01T10:00:00.000Z';
const END = '2025-03-01T12:00:00.000Z';

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

function replay(state: string, extra: Record<string, unknown> = {}) {
  return {
    ReplayName: 'r1',
    ReplayArn: 'arn:aws:events:eu-west-1:111122223333:replay/r1',
    State: state,
    EventSourceArn: ARCHIVE_ARN,
    Destination: { Arn: BUS_ARN },
    EventStartTime: new Date(START),
    EventEndTime: new Date(END),
    ReplayStartTime: new Date('2025-03-02T08:00:00Z'),
    ...extra,
  } as never;
}

function archiveExists() {
  eventbridge
    .on(DescribeArchiveCommand, { ArchiveName: 'murmur-all-events' })
    .resolves({ ArchiveArn: ARCHIVE_ARN, EventSourceArn: BUS_ARN, ArchiveName: 'murmur-all-events' });
}

const sessions: ReturnType<typeof cliHome>[] = [];
/** Polling without waits; AWS_REGION unless the test gives its own environment. */
const session = (env: NodeJS.ProcessEnv = { AWS_REGION: 'eu-west-1' }) => {
  const s = cliHome({ MURMUR_AWS_POLL_MS: '0', ...env });
  sessions.push(s);
  return s;
};

beforeEach(() => {
  eventbridge.reset();
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.cleanup();
});
afterAll(() => eventbridge.restore());

describe('replay names and progress', () => {
  it('makes valid, distinct names that sort by time', () => {
    const at = new Date('2025-03-01T10:20:30.456Z');
    expect(newReplayName(at, 'abc123')).toBe('replay-20250301T102030Z-abc123');
    const names = new Set(Array.from({ length: 50 }, () => newReplayName(at)));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(REPLAY_NAME_PATTERN);
  });

  it('measures progress by EventLastReplayedTime between start and end', () => {
    const status = (state: string, last: string | null): AwsReplayStatus => ({
      replayName: 'r',
      replayArn: null,
      state,
      stateReason: null,
      archiveArn: null,
      archiveName: null,
      destinationArn: null,
      ruleArns: null,
      eventStartTime: START,
      eventEndTime: END,
      eventLastReplayedTime: last,
      replayStartTime: null,
      replayEndTime: null,
    });
    expect(replayProgress(status('STARTING', null))).toBe(0);
    expect(replayProgress(status('RUNNING', '2025-03-01T10:30:00.000Z'))).toBe(0.25);
    expect(replayProgress(status('RUNNING', '2025-03-01T13:00:00.000Z'))).toBe(1);
    expect(replayProgress(status('COMPLETED', '2025-03-01T11:00:00.000Z'))).toBe(1);
  });
});

describe('startAwsReplay', () => {
  it('replays the archive onto the bus it records, only to the named rules when asked', async () => {
    archiveExists();
    eventbridge
      .on(DescribeRuleCommand, { Name: 'analyse-on-received' })
      .resolves({ Arn: 'arn:aws:events:eu-west-1:111122223333:rule/murmur/analyse-on-received' });
    eventbridge.on(StartReplayCommand).resolves({ State: 'STARTING', ReplayArn: 'arn:replay' });

    const started = await startAwsReplay(new EventBridgeClient({ region: 'eu-west-1' }), {
      archiveName: 'murmur-all-events',
      eventStartTime: new Date(START),
      eventEndTime: new Date(END),
      replayName: 'again',
      ruleNames: ['analyse-on-received'],
    });

    expect(started).toMatchObject({ replayName: 'again', state: 'STARTING', destinationArn: BUS_ARN });
    expect(eventbridge.commandCalls(DescribeRuleCommand)[0]!.args[0].input).toEqual({
      Name: 'analyse-on-received',
      EventBusName: BUS_ARN,
    });
    expect(eventbridge.commandCalls(StartReplayCommand)[0]!.args[0].input).toEqual({
      ReplayName: 'again',
      EventSourceArn: ARCHIVE_ARN,
      EventStartTime: new Date(START),
      EventEndTime: new Date(END),
      Destination: {
        Arn: BUS_ARN,
        FilterArns: ['arn:aws:events:eu-west-1:111122223333:rule/murmur/analyse-on-received'],
      },
    });
  });

  it('refuses a rule that is not on the bus, before starting anything', async () => {
    archiveExists();
    eventbridge
      .on(DescribeRuleCommand)
      .rejects(new ResourceNotFoundException({ message: 'Rule nope does not exist.', $metadata: {} }));
    await expect(
      startAwsReplay(new EventBridgeClient({ region: 'eu-west-1' }), {
        archiveName: 'murmur-all-events',
        eventStartTime: new Date(START),
        eventEndTime: new Date(END),
        replayName: 'again',
        ruleNames: ['nope'],
      }),
    ).rejects.toThrow('rule nope does not exist on bus murmur');
    expect(eventbridge.commandCalls(StartReplayCommand)).toHaveLength(0);
  });
});

describe('murmur replay --aws', () => {
  it('starts a replay, follows it to COMPLETED and prints the summary', async () => {
    archiveExists();
    eventbridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
    eventbridge
      .on(DescribeReplayCommand)
      .resolvesOnce(replay('RUNNING', { EventLastReplayedTime: new Date('2025-03-01T11:00:00Z') }))
      .resolves(
        replay('COMPLETED', {
          EventLastReplayedTime: new Date('2025-03-01T11:59:00Z'),
          ReplayEndTime: new Date('2025-03-02T08:05:00Z'),
        }),
      );

    const result = await session().run('replay', '--aws', '--start', START, '--end', END);

    expect(result.code).toBe(0);
    const input = eventbridge.commandCalls(StartReplayCommand)[0]!.args[0].input;
    expect(input.ReplayName).toMatch(/^replay-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(input).toMatchObject({
      EventSourceArn: ARCHIVE_ARN,
      EventStartTime: new Date(START),
      EventEndTime: new Date(END),
      Destination: { Arn: BUS_ARN },
    });
    expect(input.Destination).not.toHaveProperty('FilterArns');
    expect(eventbridge.commandCalls(DescribeReplayCommand)).toHaveLength(2);
    expect(result.out).toEqual([
      `replay r1 COMPLETED: events up to 2025-03-01T11:59:00.000Z from archive murmur-all-events (${START} .. ${END}) on bus murmur to every rule that accepts replays`,
    ]);
    expect(result.err[0]).toMatch(/^replay replay-\S+ started on AWS \(eu-west-1\); Ctrl-C cancels it/);
    // No local bus was opened for an AWS command.
    expect(eventbridge.commandCalls(CancelReplayCommand)).toHaveLength(0);
  });

  it('prints the final status as JSON with --json, to the named rules with --rules', async () => {
    archiveExists();
    eventbridge.on(DescribeRuleCommand).callsFake((input: { Name: string }) => ({
      Arn: `arn:aws:events:eu-west-1:111122223333:rule/murmur/${input.Name}`,
    }));
    eventbridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
    eventbridge.on(DescribeReplayCommand).resolves(
      replay('COMPLETED', {
        ReplayName: 'again',
        Destination: { Arn: BUS_ARN, FilterArns: ['arn:aws:events:eu-west-1:111122223333:rule/murmur/a'] },
      }),
    );

    const result = await session().run(
      'replay',
      '--aws',
      '--region',
      'eu-west-1',
      '--start',
      START,
      '--end',
      END,
      '--name',
      'again',
      '--rules',
      'a, b',
      '--json',
    );

    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    expect(JSON.parse(result.out[0]!)).toMatchObject({
      replayName: 'again',
      state: 'COMPLETED',
      archiveName: 'murmur-all-events',
      ruleArns: ['arn:aws:events:eu-west-1:111122223333:rule/murmur/a'],
    });
    expect(eventbridge.commandCalls(StartReplayCommand)[0]!.args[0].input.Destination?.FilterArns).toEqual([
      'arn:aws:events:eu-west-1:111122223333:rule/murmur/a',
      'arn:aws:events:eu-west-1:111122223333:rule/murmur/b',
    ]);
  });

  it('exits 1 with the StateReason when the replay FAILS', async () => {
    archiveExists();
    eventbridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
    eventbridge
      .on(DescribeReplayCommand)
      .resolves(replay('FAILED', { StateReason: 'Destination event bus murmur does not exist.' }));

    const result = await session().run('replay', '--aws', '--start', START, '--end', END, '--name', 'r1');

    expect(result.code).toBe(1);
    expect(result.out[0]).toMatch(/^replay r1 FAILED: /);
    expect(result.err.at(-1)).toBe('replay r1 FAILED: Destination event bus murmur does not exist.');
  });

  it('cancels the replay on Ctrl-C, waits for CANCELLED, and exits 130', async () => {
    archiveExists();
    eventbridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
    const s = session();
    let cancelled = false;
    eventbridge.on(DescribeReplayCommand).callsFake(() => {
      if (cancelled) return replay('CANCELLED', { EventLastReplayedTime: new Date('2025-03-01T10:30:00Z') });
      s.interrupt(); // the user presses Ctrl-C while it runs
      return replay('RUNNING');
    });
    eventbridge.on(CancelReplayCommand).callsFake(() => {
      cancelled = true;
      return { State: 'CANCELLING' };
    });

    const result = await s.run('replay', '--aws', '--start', START, '--end', END, '--name', 'r1');

    expect(result.code).toBe(130);
    expect(eventbridge.commandCalls(CancelReplayCommand).map((c) => c.args[0].input)).toEqual([
      { ReplayName: 'r1' },
    ]);
    expect(result.out[0]).toMatch(/^replay r1 CANCELLED: events up to 2025-03-01T10:30:00.000Z/);
    expect(result.err).toContain('cancelling replay r1...');
    expect(result.err.at(-1)).toBe(
      'replay r1 cancelled (Ctrl-C): events up to 2025-03-01T10:30:00.000Z were replayed',
    );
  });

  it('exits 1 when someone else cancels it', async () => {
    archiveExists();
    eventbridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
    eventbridge.on(DescribeReplayCommand).resolves(replay('CANCELLED'));
    const result = await session().run('replay', '--aws', '--start', START, '--end', END, '--name', 'r1');
    expect(result.code).toBe(1);
    expect(result.err.at(-1)).toBe('replay r1 ended CANCELLED');
  });

  it('with --no-wait, starts it and returns without following it', async () => {
    archiveExists();
    eventbridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
    const result = await session().run(
      'replay',
      '--aws',
      '--no-wait',
      '--start',
      START,
      '--end',
      END,
      '--name',
      'r1',
    );
    expect(result.code).toBe(0);
    expect(eventbridge.commandCalls(DescribeReplayCommand)).toHaveLength(0);
    expect(result.out[0]).toMatch(/^replay r1 STARTING: events up to - from archive murmur-all-events/);
    expect(result.err).toEqual([
      'running on AWS (eu-west-1); follow it with: murmur replay --aws describe r1',
    ]);
  });

  it('says so when the archive does not exist, and starts nothing', async () => {
    eventbridge.on(DescribeArchiveCommand).rejects(
      new ResourceNotFoundException({
        message: 'Archive murmur-all-events does not exist.',
        $metadata: {},
      }),
    );
    const result = await session().run('replay', '--aws', '--start', START, '--end', END);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      'archive murmur-all-events does not exist in this account and region (deploy Murmur-Plumbing, or pass --archive)',
    ]);
    expect(eventbridge.commandCalls(StartReplayCommand)).toHaveLength(0);
  });

  it('reports AccessDenied with the operation and a hint, in one line', async () => {
    archiveExists();
    eventbridge
      .on(StartReplayCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:iam::111122223333:user/op is not authorized to perform: events:StartReplay',
        ),
      );
    const result = await session().run('replay', '--aws', '--start', START, '--end', END, '--name', 'r1');
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(
      /^EventBridge StartReplay r1: AccessDeniedException: User: .* events:StartReplay \(your AWS identity lacks this permission/,
    );
  });

  it('refuses a name already taken', async () => {
    archiveExists();
    eventbridge
      .on(StartReplayCommand)
      .rejects(new ResourceAlreadyExistsException({ message: 'Replay r1 already exists.', $metadata: {} }));
    const result = await session().run('replay', '--aws', '--start', START, '--end', END, '--name', 'r1');
    expect(result.code).toBe(1);
    expect(result.err).toEqual(['a replay named r1 already exists: choose another --name']);
  });

  it.each([
    [['--name', 'bad name!'], /^replay name "bad name!" is not valid: 1 to 64 of A-Z a-z 0-9 \. - _/],
    [['--name', 'x'.repeat(65)], /is not valid/],
    [['--start', END, '--end', START], /^the replay start time must be before its end time$/],
    [['--start', 'yesterday'], /^--start "yesterday" is not a time/],
  ])('refuses bad input %j before calling AWS', async (args, message) => {
    archiveExists();
    const result = await session().run('replay', '--aws', ...args);
    expect(result.code).toBe(1);
    expect(result.err.at(-1)).toMatch(message);
    expect(eventbridge.calls()).toHaveLength(0);
  });

  it('refuses --region, --profile and --no-wait without --aws', async () => {
    const result = await session().run('replay', '--region', 'eu-west-1', '--no-wait');
    expect(result.code).toBe(1);
    expect(result.err).toEqual(['--region, --no-wait only go with --aws']);
  });

  describe('with no region anywhere', () => {
    const saved = { ...process.env };
    beforeEach(() => {
      for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[key];
      process.env.AWS_CONFIG_FILE = '/nonexistent/murmur-test/config';
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/murmur-test/credentials';
    });
    afterEach(() => {
      process.env = { ...saved };
    });

    it('says how to give one, and calls nothing', async () => {
      const result = await session({}).run('replay', '--aws', '--start', START, '--end', END);
      expect(result.code).toBe(1);
      expect(result.err).toEqual([
        'no AWS region: pass --region, set AWS_REGION, or give your AWS profile a region (aws configure)',
      ]);
      expect(eventbridge.calls()).toHaveLength(0);
    });
  });

  it('lists replays across pages, newest first, as a table or JSON lines', async () => {
    eventbridge
      .on(ListReplaysCommand)
      .resolvesOnce({
        Replays: [
          {
            ReplayName: 'older',
            State: 'COMPLETED',
            EventSourceArn: ARCHIVE_ARN,
            EventStartTime: new Date(START),
            EventEndTime: new Date(END),
            ReplayStartTime: new Date('2025-03-01T00:00:00Z'),
          },
        ],
        NextToken: 'page2',
      })
      .resolves({
        Replays: [
          {
            ReplayName: 'newer',
            State: 'FAILED',
            StateReason: 'boom',
            EventSourceArn: ARCHIVE_ARN,
            ReplayStartTime: new Date('2025-03-02T00:00:00Z'),
          },
        ],
      });

    const table = await session().run('replay', '--aws', 'list');

    expect(table.code).toBe(0);
    const lines = table.out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+ARCHIVE\s+FROM\s+TO\s+REPLAYED UP TO\s+STARTED\s+REASON$/);
    expect(lines[1]).toMatch(/^newer\s+FAILED\s+murmur-all-events\s.*boom$/);
    expect(lines[2]).toMatch(/^older\s+COMPLETED\s+murmur-all-events\s+2025-03-01T10:00:00.000Z/);
    expect(eventbridge.commandCalls(ListReplaysCommand)[1]!.args[0].input).toEqual({
      Limit: 100,
      NextToken: 'page2',
    });

    eventbridge.resetHistory();
    const json = await session().run('replay', 'list', '--aws', '--json');
    expect(json.out.map((l) => JSON.parse(l).replayName)).toEqual(['newer', 'older']);
  });

  it('describes one replay as JSON', async () => {
    eventbridge.on(DescribeReplayCommand, { ReplayName: 'r1' }).resolves(replay('RUNNING'));
    const result = await session().run('replay', 'describe', 'r1', '--aws');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out.join('\n'))).toMatchObject({
      replayName: 'r1',
      state: 'RUNNING',
      archiveName: 'murmur-all-events',
      destinationArn: BUS_ARN,
    });
  });
});
