import type { Logger } from '@galt/core';

/** Length of one rate-limit window in milliseconds. */
export const LOG_WINDOW_MS = 10_000;

/** Entries with the same message logged per window; a flood of bad frames logs at most this many. */
export const LOG_ENTRIES_PER_WINDOW = 20;

type Level = 'debug' | 'info' | 'warn' | 'error';

interface WindowCount {
  start: number;
  logged: number;
  suppressed: number;
}

/**
 * Wraps a logger so that each distinct message is logged at most `perWindow` times per window.
 *
 * When a window with suppressed entries ends, the next entry with that message carries the count
 * of suppressed repeats in its `suppressed` field.
 */
export function createRateLimitedLogger(
  logger: Logger,
  now: () => number,
  perWindow = LOG_ENTRIES_PER_WINDOW,
  windowMs = LOG_WINDOW_MS,
): Logger {
  const windows = new Map<string, WindowCount>();

  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    const time = now();
    const key = `${level}\u0000${message}`;
    let window = windows.get(key);
    if (window === undefined || time - window.start >= windowMs) {
      const suppressed = window?.suppressed ?? 0;
      window = { start: time, logged: 0, suppressed: 0 };
      windows.set(key, window);
      if (suppressed > 0) fields = { ...fields, suppressed };
    }
    if (window.logged >= perWindow) {
      window.suppressed += 1;
      return;
    }
    window.logged += 1;
    if (fields === undefined) logger[level](message);
    else logger[level](message, fields);
  };

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
