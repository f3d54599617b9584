/**
 * Checks that the hot-path copies (`copyPlainProposal`, `copyPlainUtterance`) share. Each accepts
 * only values that the matching zod schema accepts too.
 */

/** Maximum length of ids in the protocol's schemas. */
export const MAX_ID_LENGTH = 200;

/** True for a plain object (its prototype is Object.prototype or null), not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** True when every own key is allowed and no value is explicitly undefined. */
export function hasOnlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (!allowed.has(key) || value[key] === undefined) return false;
  }
  return true;
}

/** True for a non-empty string. */
export function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** True for a string in `members`. */
export function isMember(value: unknown, members: ReadonlySet<string>): boolean {
  return typeof value === 'string' && members.has(value);
}

/** True for an id the schemas accept: 1 to `MAX_ID_LENGTH` characters. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

/** True for a non-negative safe integer. */
export function isTick(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** True for an array with no items. */
export function isEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** True for an array of strings only. */
export function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}
