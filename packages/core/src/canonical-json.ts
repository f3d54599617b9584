import * as crypto from 'node:crypto';
import { GaltError } from './errors.js';

/**
 * Serialises `value` as JSON with object keys sorted at every level and no whitespace, so equal
 * data always yields equal text (and equal hashes).
 *
 * Keys sort by UTF-16 code units (`Array.prototype.sort`). Object properties whose value is
 * `undefined` are omitted, as `JSON.stringify` does, and `toJSON` methods (Date) are honoured.
 * Throws a `GaltError` (`invalid_input`) naming the path for a non-finite number, `undefined`
 * inside an array, a bigint, function or symbol, a Map, Set or typed array, and a cycle.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, null, []);
}

// `crypto.hash` (Node 20.12 and later) hashes in one call, about twice as fast as createHash.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string | Uint8Array) => string })
  .hash;

/** Returns the lowercase hex SHA-256 of a string (hashed as UTF-8) or of raw bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  if (oneShotHash !== undefined) return oneShotHash('sha256', data);
  return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * Position of a value inside the input, as a linked list from the leaf up. Serialising allocates
 * no path arrays, because the path is materialised only for an error.
 */
type JsonPath = { readonly parent: JsonPath; readonly key: string | number } | null;

function materialise(path: JsonPath): (string | number)[] {
  const segments: (string | number)[] = [];
  for (let node = path; node !== null; node = node.parent) segments.push(node.key);
  return segments.reverse();
}

/**
 * Objects being serialised, outermost first. An array, because nesting is shallow and `includes`
 * on a few entries is cheaper than a Set's hashing, and the ledger serialises every payload.
 */
type Ancestors = object[];

function serialise(value: unknown, path: JsonPath, ancestors: Ancestors): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw invalidValue(path, `the number ${value} is not finite`);
      // The same text as JSON.stringify gives a finite number.
      return String(value);
    case 'object':
      return serialiseObject(value, path, ancestors);
    default:
      throw invalidValue(path, `a ${typeof value} has no JSON form`);
  }
}

/** Serialises a field or item, making its path object only when it is needed. */
function serialiseChild(
  value: unknown,
  parent: JsonPath,
  key: string | number,
  ancestors: Ancestors,
): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return serialise(value, { parent, key }, ancestors);
}

function serialiseObject(value: object, path: JsonPath, ancestors: Ancestors): string {
  if (hasToJson(value)) return serialise(value.toJSON(), path, ancestors);
  if (value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) {
    throw invalidValue(path, `a ${value.constructor.name} has no canonical JSON form`);
  }
  if (ancestors.includes(value)) throw invalidValue(path, 'the value contains a cycle');

  ancestors.push(value);
  const text = Array.isArray(value)
    ? serialiseArray(value, path, ancestors)
    : serialiseRecord(value as Record<string, unknown>, path, ancestors);
  ancestors.pop();
  return text;
}

function serialiseArray(items: readonly unknown[], path: JsonPath, ancestors: Ancestors): string {
  let text = '[';
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    if (item === undefined) {
      throw invalidValue({ parent: path, key: index }, 'undefined is not allowed in an array');
    }
    if (index > 0) text += ',';
    text += serialiseChild(item, path, index, ancestors);
  }
  return `${text}]`;
}

function serialiseRecord(
  record: Record<string, unknown>,
  path: JsonPath,
  ancestors: Ancestors,
): string {
  let text = '{';
  for (const key of sortedKeys(record)) {
    const field = record[key];
    if (field === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${quotedKey(key)}:${serialiseChild(field, path, key, ancestors)}`;
  }
  return `${text}}`;
}

/** Returns the keys in UTF-16 code unit order, without sorting keys that are already in order. */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let index = 1; index < keys.length; index += 1) {
    if ((keys[index - 1] ?? '') > (keys[index] ?? '')) return keys.sort();
  }
  return keys;
}

/**
 * Quoted keys seen so far. Payloads reuse a small set of field names, so quoting each once saves
 * most of the key work. Only short keys are kept, and only up to a count, so keys that come from
 * data cannot grow the map without bound.
 */
const QUOTED_KEY_LIMIT = 4096;
const QUOTED_KEY_MAX_LENGTH = 64;
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  if (key.length > QUOTED_KEY_MAX_LENGTH) return JSON.stringify(key);
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEY_LIMIT) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function invalidValue(path: JsonPath, problem: string): GaltError {
  const segments = materialise(path);
  const where = segments.length === 0 ? '(root)' : segments.join('.');
  return new GaltError('invalid_input', `canonicalJson: invalid value at ${where}: ${problem}`, {
    remedy: 'Convert the value to plain JSON data (finite numbers, strings, arrays, objects)',
    issues: [{ path: segments, code: 'invalid_json_value', message: problem }],
  });
}
