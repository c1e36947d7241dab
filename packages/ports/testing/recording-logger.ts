// A Logger for tests that keeps each line as data, so a test can check what was (never) logged.
import type { Logger } from '../src/index.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  /** The line's fields over those bound by `child`; `{}` when there are none. */
  fields: Record<string, unknown>;
}

/** A logger that pushes every line into `lines`, with the fields its `child` calls bound. */
export function recordingLogger(lines: LogLine[] = [], bound: Record<string, unknown> = {}): Logger {
  const at =
    (level: LogLine['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields: { ...bound, ...fields } });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => recordingLogger(lines, { ...bound, ...fields }),
  };
}
