import { GaltError } from '@galt/core';

/**
 * Default time a safety channel may take to return a verdict. Without it, a channel that never
 * returns one would stall every agent's tick. A verdict that comes later blocks its turn instead.
 */
export const DEFAULT_SAFETY_TIMEOUT_MS = 10_000;

/**
 * Returns a promise that settles like `verdict`, or rejects with `timed_out` after `timeoutMs`.
 * The caller treats the rejection like a channel failure and blocks the turn (fails closed).
 */
export function withSafetyTimeout<T>(
  verdict: Promise<T>,
  timeoutMs: number,
  agentId: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new GaltError(
          'timed_out',
          `safety channel gave no verdict for agent '${agentId}' within ${timeoutMs} ms`,
          { remedy: 'Make the safety channel return its verdict faster, or raise safetyTimeoutMs' },
        ),
      );
    }, timeoutMs);
    verdict.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Maximum delay of Node's timers. Node runs a timer with a larger delay after 1 ms instead. */
const MAX_TIMER_MS = 2_147_483_647;

/** Checks a `safetyTimeoutMs` option and returns it, or the default when it is absent. */
export function safetyTimeoutOption(value: number | undefined): number {
  if (value === undefined) return DEFAULT_SAFETY_TIMEOUT_MS;
  if (Number.isFinite(value) && value > 0 && value <= MAX_TIMER_MS) return value;
  throw new GaltError(
    'invalid_config',
    `createRuntime: safetyTimeoutMs ${value} is invalid; it must be above 0 and at most ${MAX_TIMER_MS}`,
    { remedy: 'Pass a number of milliseconds in that range' },
  );
}
