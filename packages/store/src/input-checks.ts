/**
 * Cheap structural checks for batch appends. Each check accepts only values that the matching
 * zod schema in `@galt/protocol` also accepts, so a batch that passes skips zod. A value that
 * fails goes through zod, which either accepts it or reports issues with paths.
 */

/**
 * Returns whether `value` is an object literal that `z.record(z.string(), z.unknown())` accepts
 * unchanged: prototype `Object.prototype` or null, no enumerable symbol keys and no own
 * `__proto__` key, which zod would strip.
 */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  return !Object.hasOwn(value, '__proto__');
}

/** Returns whether `value` is what `z.number().int().nonnegative()` accepts. */
export function isTick(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Returns whether `value` is what `z.string().min(1)` accepts. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
