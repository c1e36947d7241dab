import { describe, expect, it } from '@jest/globals';
import type { ScheduleContext } from '@murmur/ports';
import { consoleLogger, Scheduler } from '../src/index.js';

describe('Scheduler (the local EventBridge Scheduler)', () => {
  it('runs at start and again after each run, never overlapping, surviving failures', async () => {
    const errors: string[] = [];
    const log = consoleLogger({ level: 'error', write: (line) => errors.push(line) });
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const scheduler = new Scheduler(
      [
        {
          schedule: { name: 'tick', description: 'test', everySeconds: 0.01, handler: 'tick' },
          handler: async () => {
            runs++;
            active++;
            maxActive = Math.max(maxActive, active);
            await new Promise((r) => setTimeout(r, 30)); // longer than the interval
            active--;
            if (runs === 1) throw new Error('first run fails');
          },
          context: {} as Omit<ScheduleContext, 'now'>,
        },
      ],
      log,
    );
    scheduler.start();
    await new Promise((r) => setTimeout(r, 200));
    await scheduler.stop();
    const afterStop = runs;
    await new Promise((r) => setTimeout(r, 60));

    expect(runs).toBeGreaterThanOrEqual(3);
    expect(maxActive).toBe(1);
    expect(errors.join()).toMatch(/scheduled run failed.*first run fails/);
    expect(runs).toBe(afterStop); // nothing runs after stop
    expect(active).toBe(0); // stop waited for the run in progress
  });
});
