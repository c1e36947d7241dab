import type { Logger } from '@murmur/ports';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface ConsoleLoggerOptions {
  level?: LogLevel;
  /** `json`: one JSON object per line (as Powertools logs on Lambda); `pretty`: for a terminal. */
  format?: 'json' | 'pretty';
  write?: (line: string) => void;
}

/** The embedded runtime's logger: structured fields, one line per entry, on stderr. */
export function consoleLogger(
  options: ConsoleLoggerOptions = {},
  bound: Record<string, unknown> = {},
): Logger {
  const min = ORDER[options.level ?? 'info'];
  const format = options.format ?? 'pretty';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const all = { ...bound, ...fields };
    if (format === 'json') {
      write(
        // The entry's own keys win: a field named `message` must not replace the message.
        JSON.stringify({ ...all, level: level.toUpperCase(), timestamp: new Date().toISOString(), message }),
      );
      return;
    }
    const extra = Object.entries(all)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    write(
      `${new Date().toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${message}${extra ? ` ${extra}` : ''}`,
    );
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => consoleLogger(options, { ...bound, ...fields }),
  };
}
