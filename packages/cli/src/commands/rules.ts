import { DEFAULT_RETRY_POLICY } from '@murmur/ports';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { readJsonObjectArg } from '../json-arg.js';
import { withBus } from '../open-bus.js';
import { renderTable } from '../table.js';

const int = (v: string) => Number.parseInt(v, 10);

export function registerRules(program: Command, io: CliIO): void {
  const rules = program
    .command('rules')
    .description('Rules on the bus: declared by services, or added by hand');

  rules
    .command('list')
    .description('Every rule with its owner, pattern and targets')
    .option('--json', 'one rule per line, as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withBus(io, (bus) => {
        const all = bus.listRules();
        if (opts.json) {
          for (const rule of all) {
            io.out(
              JSON.stringify({
                ...rule,
                targets: rule.targets.map((t) => (t.type === 'http' ? { ...t, url: originOf(t.url) } : t)),
              }),
            );
          }
          return;
        }
        io.out(
          renderTable(
            ['NAME', 'OWNER', 'STATE', 'TARGETS', 'PATTERN'],
            all.map((r) => [
              r.name,
              r.owner,
              r.state,
              r.targets.map((t) => (t.type === 'http' ? originOf(t.url) : t.id)).join(', '),
              JSON.stringify(r.eventPattern),
            ]),
          ),
        );
      });
    });

  rules
    .command('put')
    .description('Add or replace a rule that POSTs matching events to a URL (an EventBridge API destination)')
    .requiredOption('--name <name>', 'rule name')
    .requiredOption('--pattern <json>', 'event pattern (JSON, or @file.json)')
    .requiredOption('--url <url>', 'http(s) URL the events are POSTed to, as JSON')
    .option(
      '--max-retries <n>',
      'retries after the first attempt (0..185)',
      int,
      DEFAULT_RETRY_POLICY.maximumRetryAttempts,
    )
    .option(
      '--max-age <seconds>',
      'stop retrying after this age (60..86400)',
      int,
      DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds,
    )
    .option('--input-template <template>', 'input transformer template, with <name> placeholders')
    .option('--input-paths <json>', 'input transformer paths map, e.g. {"text":"$.detail.text"}')
    .action(
      async (opts: {
        name: string;
        pattern: string;
        url: string;
        maxRetries: number;
        maxAge: number;
        inputTemplate?: string;
        inputPaths?: string;
      }) => {
        await withBus(io, (bus) => {
          const inputTransformer = opts.inputTemplate
            ? {
                inputTemplate: opts.inputTemplate,
                ...(opts.inputPaths
                  ? {
                      inputPathsMap: readJsonObjectArg(opts.inputPaths, '--input-paths', io.cwd) as Record<
                        string,
                        string
                      >,
                    }
                  : {}),
              }
            : undefined;
          bus.putRule({
            name: opts.name,
            eventPattern: readJsonObjectArg(opts.pattern, '--pattern', io.cwd),
            owner: 'cli',
            targets: [
              {
                id: 'http',
                type: 'http',
                url: opts.url,
                retryPolicy: { maximumRetryAttempts: opts.maxRetries, maximumEventAgeInSeconds: opts.maxAge },
                ...(inputTransformer ? { inputTransformer } : {}),
              },
            ],
          });
          io.out(`rule ${opts.name} -> ${opts.url}`);
        });
      },
    );

  rules
    .command('delete')
    .description('Delete a rule (its pending deliveries go to the DLQ)')
    .argument('<name>')
    .action(async (name: string) => {
      await withBus(io, (bus) => {
        bus.deleteRule(name);
        io.out(`rule ${name} deleted`);
      });
    });
}

/** A webhook URL's path is its secret (Slack, Discord): show where it goes, not the key. */
function originOf(url: string): string {
  try {
    const { origin, pathname } = new URL(url);
    return pathname === '/' ? origin : `${origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}
