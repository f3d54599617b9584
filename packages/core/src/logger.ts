/** Severity of a log entry, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger that the application passes to libraries, because libraries never print. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Logger that discards every entry. It is the default wherever a logger is optional. */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** One recorded log entry. */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** Logger that stores its entries in memory, for tests and diagnostics. */
export interface MemoryLogger extends Logger {
  readonly entries: readonly LogEntry[];
  /** Returns the entries of one level. */
  entriesAt(level: LogLevel): readonly LogEntry[];
  clear(): void;
}

/** Creates a logger that stores every entry in `entries`. */
export function createMemoryLogger(): MemoryLogger {
  const entries: LogEntry[] = [];
  const record = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    entries.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  return {
    entries,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    entriesAt: (level) => entries.filter((entry) => entry.level === level),
    clear: () => {
      entries.length = 0;
    },
  };
}
