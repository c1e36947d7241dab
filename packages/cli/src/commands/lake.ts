// `murmur lake`: the local data lake under MURMUR_HOME/lake (compaction on demand, status), and
// the background compaction `murmur start` runs.
import { join } from 'node:path';
import { LAKE_BUFFERING, lakeSchema } from '@murmur/analytics';
import type { MurmurHome } from '@murmur/embedded-runtime';
import { type CompactionReport, compactLake, type LakeConfig, takeSnapshot } from '@murmur/lake';
import type { Logger } from '@murmur/ports';
import type { Command } from 'commander';
import { type CliIO, homeOf } from '../io.js';
import { renderTable } from '../table.js';

/** The lake of a home, with the analytics tables over it. */
export function lakeConfigFor(home: MurmurHome): LakeConfig {
  return {
    root: join(home.root, 'lake'),
    schema: lakeSchema(),
    rotateAfterMs: LAKE_BUFFERING.intervalSeconds * 1000,
  };
}

export function describeCompaction(report: CompactionReport): string {
  if (report.skipped) return `compaction skipped: ${report.skipped}`;
  const parts = [
    report.files > 0
      ? `compacted ${report.files} raw file(s), ${report.records} record(s), into a new segment`
      : 'no sealed raw files to compact',
  ];
  if (report.merged > 0) parts.push(`merged the ${report.merged} smallest segments into one`);
  if (report.dropped > 0) parts.push(`rebuilt ${report.dropped} segment(s) from their raw files`);
  parts.push(`${report.segments} segment(s) now`);
  return parts.join('; ');
}

export interface LakeCompaction {
  stop(): Promise<void>;
}

/**
 * Compacts the lake every `everyMs` in the background of `murmur start`, on one DuckDB thread so
 * the bus keeps the other core. A failed run is logged and tried again next time.
 */
export function startLakeCompaction(
  home: MurmurHome,
  log: Logger,
  everyMs = LAKE_BUFFERING.intervalSeconds * 1000,
): LakeCompaction {
  const config = lakeConfigFor(home);
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = compactLake(config, { threads: 1 })
      .then((report) => {
        for (const warning of report.warnings) log.warn(warning);
        if (report.files > 0 || report.merged > 0) log.info(describeCompaction(report));
      })
      .catch((error: unknown) => log.warn('lake compaction failed; will try again', { error: String(error) }))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export function registerLake(program: Command, io: CliIO): void {
  const lake = program
    .command('lake')
    .description('The local data lake (MURMUR_HOME/lake): NDJSON records as on S3, compacted for queries');
  lake
    .command('compact')
    .description('Compact sealed raw files into a query segment now (murmur start does it every minute)')
    .option('--rebuild', 'rebuild every segment from the raw files')
    .action(async (opts: { rebuild?: boolean }) => {
      const report = await compactLake(lakeConfigFor(homeOf(io)), {
        ...(opts.rebuild ? { rebuild: true } : {}),
      });
      for (const warning of report.warnings) io.err(`warning: ${warning}`);
      io.out(describeCompaction(report));
    });
  lake
    .command('status')
    .description('Raw files not yet compacted, and the segments')
    .action(() => {
      const config = lakeConfigFor(homeOf(io));
      const snapshot = takeSnapshot(config);
      io.out(`lake      ${config.root}`);
      io.out(
        `raw       ${snapshot.raw.length} file(s) not compacted, ` +
          `${(snapshot.raw.reduce((n, f) => n + f.size, 0) / 1024).toFixed(1)} KiB`,
      );
      if (snapshot.stale.length > 0) {
        io.out(
          `stale     ${snapshot.stale.length} segment(s) built for older tables: run murmur lake compact`,
        );
      }
      io.out(`segments  ${snapshot.segments.length}`);
      if (snapshot.segments.length > 0) {
        io.out(
          renderTable(
            ['SEGMENT', 'RECORDS', 'RAW FILES', 'CREATED'],
            snapshot.segments.map((s) => [
              s.file,
              s.rows,
              s.sources.length,
              new Date(s.createdAtMs).toISOString(),
            ]),
          ),
        );
      }
    });
}
