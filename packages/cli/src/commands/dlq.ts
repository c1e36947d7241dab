import { listDeadLetters, redriveDeadLetters } from '@murmur/embedded-bus';
import type { Command } from 'commander';
import { CliError, type CliIO } from '../io.js';
import { runtimeRunning, withBus } from '../open-bus.js';
import { renderTable } from '../table.js';

export function registerDlq(program: Command, io: CliIO): void {
  const dlq = program
    .command('dlq')
    .description("Events a target kept failing on (the rules' dead-letter queue)");

  dlq
    .command('list')
    .description('Dead letters with the rule, target, attempts and last error')
    .option('--json', 'one dead letter per line, as JSON (with the event)')
    .option('--all', 'include dead letters already redriven')
    .action(async (opts: { json?: boolean; all?: boolean }) => {
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
    .action(async (opts: { id?: string[] }) => {
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
