// A priced bill: one line per billable kind of call, summed across messages.

/**
 * What a line pays for: `ai` (Comprehend, Rekognition), `workflow` (Step Functions and the
 * workflow's Lambdas) or `shared` (EventBridge events and X posts, which both designs pay alike).
 */
export type CostScope = 'ai' | 'workflow' | 'shared';

export interface LineItem {
  /** The billable kind, e.g. `comprehend:DetectSentiment`, `stepfunctions:Express`, `x:CreatePost`. */
  line: string;
  scope: CostScope;
  /** Requests, executions, invocations, events or posts. */
  calls: number;
  /** Billable units, in `unit`: 100-character units, images, GB-seconds, transitions, 64 KB chunks. */
  units: number;
  unit: string;
  usd: number;
  /** The ledger named a call the price table does not know: counted, not priced. */
  unpriced?: true;
}

export interface LineItems {
  lines: LineItem[];
  usd: number;
}

/** Lines in a stable order: AI first, then workflow, then shared; by name within each. */
const SCOPE_ORDER: Record<CostScope, number> = { ai: 0, workflow: 1, shared: 2 };

export function compareLines(a: LineItem, b: LineItem): number {
  return SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] || a.line.localeCompare(b.line);
}

/** Sums bills line by line: the same `line` adds up its calls, units and dollars. */
export function sumBills(bills: Iterable<LineItems>): LineItems {
  const byLine = new Map<string, LineItem>();
  for (const bill of bills) {
    for (const item of bill.lines) {
      const seen = byLine.get(item.line);
      if (seen) {
        seen.calls += item.calls;
        seen.units += item.units;
        seen.usd += item.usd;
      } else {
        byLine.set(item.line, { ...item });
      }
    }
  }
  const lines = [...byLine.values()].sort(compareLines);
  return { lines, usd: lines.reduce((total, l) => total + l.usd, 0) };
}

export function billOf(lines: LineItem[]): LineItems {
  const sorted = [...lines].sort(compareLines);
  return { lines: sorted, usd: sorted.reduce((total, l) => total + l.usd, 0) };
}

export function usdOf(bill: LineItems, ...scopes: CostScope[]): number {
  return bill.lines.filter((l) => scopes.includes(l.scope)).reduce((total, l) => total + l.usd, 0);
}
