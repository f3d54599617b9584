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
  return serialise(value, null, new Set<object>());
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

function serialise(value: unknown, path: JsonPath, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw invalidValue(path, `the number ${value} is not finite`);
      return JSON.stringify(value);
    case 'object':
      return serialiseObject(value, path, ancestors);
    default:
      throw invalidValue(path, `a ${typeof value} has no JSON form`);
  }
}

function serialiseObject(value: object, path: JsonPath, ancestors: Set<object>): string {
  if (hasToJson(value)) return serialise(value.toJSON(), path, ancestors);
  if (value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) {
    throw invalidValue(path, `a ${value.constructor.name} has no canonical JSON form`);
  }
  if (ancestors.has(value)) throw invalidValue(path, 'the value contains a cycle');

  ancestors.add(value);
  const text = Array.isArray(value)
    ? serialiseArray(value, path, ancestors)
    : serialiseRecord(value as Record<string, unknown>, path, ancestors);
  ancestors.delete(value);
  return text;
}

function serialiseArray(items: readonly unknown[], path: JsonPath, ancestors: Set<object>): string {
  const parts: string[] = [];
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    const itemPath = { parent: path, key: index };
    if (item === undefined) throw invalidValue(itemPath, 'undefined is not allowed in an array');
    parts.push(serialise(item, itemPath, ancestors));
  }
  return `[${parts.join(',')}]`;
}

function serialiseRecord(
  record: Record<string, unknown>,
  path: JsonPath,
  ancestors: Set<object>,
): string {
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${serialise(field, { parent: path, key }, ancestors)}`);
  }
  return `{${parts.join(',')}}`;
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
