/** Max nesting accepted in free-form payload fields: deeper data is almost surely a bug or an attack. */
const MAX_JSON_DEPTH = 64;

/**
 * Returns whether `value` is plain JSON data (null, boolean, finite number, string, array, plain
 * object) that survives a round trip through the store unchanged.
 */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > MAX_JSON_DEPTH) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => item === undefined || isJsonValue(item, depth + 1));
}
