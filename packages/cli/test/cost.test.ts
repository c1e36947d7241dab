import { afterAll, describe, expect, it } from '@jest/globals';
import type { CostReport } from '@murmur/cost-model';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { resolveHome } from '@murmur/embedded-runtime';
import { loadExamples } from '@murmur/events';
import { cliHome } from './helpers.js';

const validExample = (detailType: string, name: string) =>
  loadExamples().find((e) => e.valid && e.detailType === detailType && e.name === name)!.envelope;

describe('murmur cost', () => {
  const cli = cliHome();
  afterAll(() => cli.cleanup());

  it('says there is nothing to price in an empty home, and exits 0', async () => {
    const result = await cli.run('cost');
    expect(result.code).toBe(0);
    expect(result.out).toEqual(['no analysed messages in the archive for this window: nothing to price']);
  });

  it('prices the archived analyses beside the reference design, with the ratio against the goal', async () => {
    // Prepare: the two examples with a ledger, a failed analysis and a posted reply, published
    // by another connection to the home's bus (the archive exists since the first command).
    const bus = new EmbeddedBus({ path: resolveHome(cli.env).busDb });
    for (const [type, name] of [
      ['MESSAGE_ANALYSED', 'valid-negative-text-only'],
      ['MESSAGE_ANALYSED', 'valid-mention-with-photo'],
      ['MESSAGE_ANALYSIS_FAILED', 'valid-timed-out'],
      ['TWEET_SENT', 'valid-posted-reply'],
    ] as const) {
      const envelope = validExample(type, name);
      await bus.publish({ source: envelope.source, detailType: type, detail: envelope.detail } as never);
    }
    bus.close();

    // Act
    const result = await cli.run('cost');

    // Assess: one row per line, Murmur's and the reference's calls side by side.
    expect(result.code).toBe(0);
    const text = result.out.join('\n');
    const lines = text.split('\n');
    const row = (line: string) => lines.find((l) => l.startsWith(`${line} `))!.split(/\s{2,}/);
    expect(row('comprehend:DetectSentiment')).toEqual([
      'comprehend:DetectSentiment',
      'ai',
      '2',
      '6 100-character units',
      '$0.000600',
      '2',
      '6 100-character units',
      '$0.000600',
    ]);
    expect(row('comprehend:DetectKeyPhrases').slice(2)).toEqual([
      '2',
      '6 100-character units',
      '$0.000600',
      '0',
      '-',
      '$0.000000',
    ]);
    expect(row('stepfunctions:Standard').slice(2)).toEqual([
      '0',
      '-',
      '$0.000000',
      '2',
      '19 transitions',
      '$0.000475',
    ]);
    expect(row('x:CreatePost').slice(2, 5)).toEqual(['1', '1 posts', '$0.015000']);
    expect(text).toMatch(
      /messages: 3 \(2 analysed, 1 with photos, 1 photo\(s\); 1 failed and 0 without a ledger/,
    );
    expect(text).toMatch(
      /ratio: Murmur pays \d+\.\d% of the reference design \(goal: at most 40\.0%\): NOT met/,
    );
    expect(text).toMatch(/per million messages: \$[\d,]+\.\d\d vs \$[\d,]+\.\d\d/);
  });

  it('--json gives the whole report, and --since/--until choose the window', async () => {
    const json = await cli.run('cost', '--json', '--since', '-1h');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out.join('')) as CostReport;
    expect(report.messages).toMatchObject({ total: 3, analysed: 2, failed: 1 });
    expect(report.posts).toBe(1);
    expect(report.ratio.aiAndWorkflow).toBeCloseTo(
      report.murmur.aiAndWorkflowUsd / report.reference.aiAndWorkflowUsd,
      12,
    );
    expect(report.goal.met).toBe(false);

    const before = await cli.run('cost', '--until', '-1h');
    expect(before.out).toEqual(['no analysed messages in the archive for this window: nothing to price']);
    const bad = await cli.run('cost', '--since', 'yesterday-ish');
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/--since "yesterday-ish" is not a time/);
  });
});
