import { type CostReport, type LineItem, priceRun } from '@murmur/cost-model';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { withBus } from '../open-bus.js';
import { renderTable } from '../table.js';
import { parseTimeArg } from '../time-arg.js';

const usd = (n: number, digits = 6) => `$${n.toFixed(digits)}`;
const usdLarge = (n: number) =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const units = (l: LineItem | undefined) =>
  l === undefined ? '-' : `${Number.isInteger(l.units) ? l.units : l.units.toFixed(4)} ${l.unit}`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** One row per billable line, Murmur beside the reference design. */
function ledgerTable(report: CostReport): string {
  const murmur = new Map(report.murmur.lines.map((l) => [l.line, l]));
  const reference = new Map(report.reference.lines.map((l) => [l.line, l]));
  const names = [...new Set([...murmur.keys(), ...reference.keys()])];
  const order = { ai: 0, workflow: 1, shared: 2 };
  const scopeOf = (name: string) => (murmur.get(name) ?? reference.get(name))!.scope;
  names.sort((a, b) => order[scopeOf(a)] - order[scopeOf(b)] || a.localeCompare(b));
  const rows = names.map((name) => {
    const m = murmur.get(name);
    const r = reference.get(name);
    return [
      name,
      scopeOf(name),
      m?.calls ?? 0,
      units(m),
      m?.unpriced ? 'unpriced' : usd(m?.usd ?? 0),
      r?.calls ?? 0,
      units(r),
      usd(r?.usd ?? 0),
    ];
  });
  return renderTable(['LINE', 'SCOPE', 'CALLS', 'UNITS', 'USD', 'REF CALLS', 'REF UNITS', 'REF USD'], rows);
}

function summary(report: CostReport): string[] {
  const { messages, murmur, reference, ratio } = report;
  const lines = [
    `messages: ${messages.total} (${messages.analysed} analysed, ${messages.withPhotos} with photos, ` +
      `${messages.photos} photo(s); ${messages.failed} failed and ${messages.callsUnknown} without a ledger, ` +
      'priced as their execution only); ' +
      `${report.events} event(s), ${report.posts} post(s) to X`,
    `AI + workflow per message: Murmur ${usd(murmur.perMessage.aiAndWorkflowUsd)}, ` +
      `reference design ${usd(reference.perMessage.aiAndWorkflowUsd)} ` +
      `(per million messages: ${usdLarge(murmur.perMillionMessages.aiAndWorkflowUsd)} vs ` +
      `${usdLarge(reference.perMillionMessages.aiAndWorkflowUsd)})`,
  ];
  if (ratio.aiAndWorkflow === null) {
    lines.push('ratio: none (the reference design would have paid nothing for these messages)');
  } else {
    const verdict = report.goal.met ? 'met' : 'NOT met';
    const largest = [...murmur.lines]
      .filter((l) => l.scope !== 'shared')
      .sort((a, b) => b.usd - a.usd)
      .slice(0, 3)
      .map((l) => `${l.line} ${usd(l.usd)}`)
      .join(', ');
    lines.push(
      `ratio: Murmur pays ${percent(ratio.aiAndWorkflow)} of the reference design ` +
        `(goal: at most ${percent(report.goal.maxRatio)}): ${verdict}; largest lines: ${largest}`,
    );
  }
  lines.push(
    `total with EventBridge and X posts: Murmur ${usd(murmur.totalUsd)}, reference design ${usd(reference.totalUsd)}`,
    `prices: ${report.region}, ${report.currency}, first tier, checked ${report.pricesAsOf}; durations, ` +
      'memory and the X post price are documented assumptions (docs/cost.md)',
  );
  if (report.invalidEvents > 0)
    lines.push(`left out: ${report.invalidEvents} event(s) breaking the contract`);
  return lines;
}

export function registerCost(program: Command, io: CliIO): void {
  program
    .command('cost')
    .description(
      "Price the archived run: AI calls per message from the ledger, beside the reference design's",
    )
    .option('--since <time>', 'events from this event time (now, ISO, -15m, -2h, -7d)')
    .option('--until <time>', 'events before this event time')
    .option('--json', 'the whole report as one JSON object')
    .action(async (opts: { since?: string; until?: string; json?: boolean }) => {
      const window = {
        ...(opts.since ? { startMs: parseTimeArg(opts.since, '--since').getTime() } : {}),
        ...(opts.until ? { endMs: parseTimeArg(opts.until, '--until').getTime() } : {}),
      };
      const report = await withBus(io, (bus) =>
        priceRun(bus.archivedEvents(undefined, window).map((stored) => stored.envelope)),
      );
      if (opts.json) {
        io.out(JSON.stringify(report));
        return;
      }
      if (report.messages.total === 0) {
        io.out('no analysed messages in the archive for this window: nothing to price');
        return;
      }
      io.out("the ledger: Murmur's calls, units and USD; REF: the reference design for the same messages");
      io.out(ledgerTable(report));
      io.out('');
      for (const line of summary(report)) io.out(line);
    });
}
