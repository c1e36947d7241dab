import { listDeadLetters, redriveDeadLetters } from '@murmur/embedded-bus';
import type { Command } from 'commander';
import { parseMax } from '../aws/options.js';
import { CliError, type CliIO } from '../io.js';
import { runtimeRunning, withBus } from '../open-bus.js';
import { renderTable } from '../table.js';

interface AwsFlags {
  aws?: boolean;
  region?: string;
  profile?: string;
  queue?: string;
  prefix?: string;
  max?: string;
}

/** The AWS-only options, refused without --aws rather than ignored. */
function awsOnly(opts: AwsFlags): void {
  if (opts.aws) return;
  const names = {
    region: '--region',
    profile: '--profile',
    queue: '--queue',
    prefix: '--prefix',
    max: '--max',
  };
  const given = Object.entries(names)
    .filter(([key]) => opts[key as keyof typeof names] !== undefined)
    .map(([, flag]) => flag);
  if (given.length)
    throw new CliError(`${given.join(', ')} only ${given.length === 1 ? 'goes' : 'go'} with --aws`);
}

const awsOptions = (opts: AwsFlags & { json?: boolean }) => {
  const max = parseMax(opts.max);
  return {
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.queue !== undefined ? { queue: opts.queue } : {}),
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
    ...(max !== undefined ? { max } : {}),
    json: opts.json ?? false,
  };
};

export function registerDlq(program: Command, io: CliIO): void {
  const dlq = program
    .command('dlq')
    .description("Events a target kept failing on (the rules' dead-letter queue)")
    .option('--aws', "the dead-letter queues of the deployed Murmur stacks (SDK's credential chain)")
    .option(
      '--region <region>',
      'with --aws: the AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)',
    )
    .option('--profile <name>', 'with --aws: the AWS profile (default: AWS_PROFILE)')
    .option('--prefix <name>', 'with --aws: only queues whose name starts with this (e.g. Murmur-Analysis)');

  dlq
    .command('list')
    .description('Dead letters with the rule, target, attempts and last error')
    .option('--json', 'one dead letter per line, as JSON (with the event)')
    .option('--all', 'include dead letters already redriven')
    .option(
      '--queue <name>',
      'with --aws: peek at the messages of this queue (name, URL, ARN or a unique part)',
    )
    .option('--max <n>', 'with --aws --queue: at most this many messages (default 10)')
    .action(async (_opts: unknown, cmd: Command) => {
      // --aws, --region... may be written before or after `list`.
      const opts = cmd.optsWithGlobals<{ json?: boolean; all?: boolean } & AwsFlags>();
      awsOnly(opts);
      if (opts.aws) {
        if (opts.all)
          throw new CliError('--all has no meaning with --aws: a redriven message leaves its queue');
        // Loaded only with --aws: the AWS SDK clients take about 0.4 s to import.
        const { runAwsDlqList } = await import('../aws/dlq-command.js');
        await runAwsDlqList(io, awsOptions(opts));
        return;
      }
      await withBus(io, (bus) => {
        const letters = listDeadLetters(bus, { includeRedriven: opts.all ?? false });
        if (opts.json) {
          for (const letter of letters) io.out(JSON.stringify(letter));
          return;
        }
        io.out(
          renderTable(
            ['ID', 'FAILED', 'RULE', 'TARGET', 'ATTEMPTS', 'DETAIL-TYPE', 'EVENT', 'ERROR'],
            letters.map((l) => [
              l.id,
              l.failedAt,
              l.ruleName,
              l.targetId,
              l.attempts,
              l.envelope['detail-type'],
              l.envelope.id,
              l.error + (l.redrivenAt ? ` (redriven ${l.redrivenAt})` : ''),
            ]),
          ),
        );
        io.err(`${letters.length} dead letter(s)`);
      });
    });

  dlq
    .command('redrive')
    .description('Deliver dead letters again, with a fresh retry budget (all open ones by default)')
    .option('--id <id...>', 'only these dead-letter ids')
    .option(
      '--queue <name>',
      'with --aws: only this queue (name, URL, ARN or a unique part); default: every one',
    )
    .option('--max <n>', 'with --aws: at most this many messages per queue')
    .option('--json', 'with --aws: one report per queue, as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ id?: string[]; json?: boolean } & AwsFlags>();
      awsOnly(opts);
      if (opts.aws) {
        if (opts.id)
          throw new CliError('--id names local dead letters; with --aws, choose a queue with --queue');
        const { runAwsDlqRedrive } = await import('../aws/dlq-command.js');
        await runAwsDlqRedrive(io, awsOptions(opts));
        return;
      }
      if (opts.json) throw new CliError('--json goes with --aws here');
      const ids = opts.id?.map((v) => {
        const id = Number.parseInt(v, 10);
        if (!Number.isInteger(id) || String(id) !== v)
          throw new CliError(`--id ${v} is not a dead-letter id`);
        return id;
      });
      await withBus(io, (bus) => {
        const count = redriveDeadLetters(bus, ids);
        io.out(`${count} dead letter(s) redriven`);
        if (count > 0 && !runtimeRunning(bus)) {
          io.err('note: no runtime is running on this home; `murmur start` delivers them');
        }
      });
    });
}
