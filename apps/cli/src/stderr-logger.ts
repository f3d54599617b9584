import type { Logger, LogLevel } from '@galt/core';
import { CliError, ExitCode } from './exit-codes.js';
import type { TextOutput } from './io.js';

const LEVEL_ORDER: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };
/** Level used when GALT_LOG is unset: warnings and errors reach the user, chatter does not. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'warn';
/**
 * Entries printed per distinct message before the rest are only counted, so a condition that
 * repeats every tick (a failed trade, say) cannot bury the progress line and the summary.
 */
export const MAX_REPEATS_PRINTED = 3;

/** A logger for the terminal that can report how many repeated entries it held back. */
export interface StderrLogger extends Logger {
  /** Prints one line per message whose repeats were held back, with the count, then resets. */
  reportSuppressed(): void;
}

/** Reads the GALT_LOG environment variable; an unknown value is a usage error. */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>>): LogLevel {
  const value = env.GALT_LOG;
  if (value === undefined || value === '') return DEFAULT_LOG_LEVEL;
  if (value in LEVEL_ORDER) return value as LogLevel;
  throw new CliError(
    `GALT_LOG=${value} is invalid; set it to one of debug, info, warn, error`,
    ExitCode.usage,
  );
}

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (fields === undefined) return '';
  const parts = Object.entries(fields).map(([key, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `${key}=${text}`;
  });
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}

/**
 * Creates a logger that writes `level: message key=value ...` lines at or above `level` to
 * `output`. After {@link MAX_REPEATS_PRINTED} entries with the same level and message, further
 * ones are counted instead of printed.
 */
export function createStderrLogger(output: TextOutput, level: LogLevel): StderrLogger {
  const threshold = LEVEL_ORDER[level];
  const seen = new Map<string, number>();
  // A leading newline keeps an entry off a progress line that a terminal is redrawing.
  const prefix = output.isTTY ? '\n' : '';

  const at = (entryLevel: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVEL_ORDER[entryLevel] < threshold) return;
    const key = `${entryLevel}: ${message}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count > MAX_REPEATS_PRINTED) return;
    const more = count === MAX_REPEATS_PRINTED ? ' (further repeats are counted, not printed)' : '';
    output.write(`${prefix}${key}${formatFields(fields)}${more}\n`);
  };

  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    reportSuppressed() {
      for (const [key, count] of seen) {
        if (count > MAX_REPEATS_PRINTED) {
          output.write(`${key}: ${count - MAX_REPEATS_PRINTED} more not printed\n`);
        }
      }
      seen.clear();
    },
  };
}
