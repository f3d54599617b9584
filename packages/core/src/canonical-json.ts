import { createHash } from 'node:crypto';
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
  return serialise(value, [], new Set<object>());
}

/** Returns the lowercase hex SHA-256 of a string (hashed as UTF-8) or of raw bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

type JsonPath = readonly (string | number)[];

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
    const itemPath = [...path, index];
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
    parts.push(`${JSON.stringify(key)}:${serialise(field, [...path, key], ancestors)}`);
  }
  return `{${parts.join(',')}}`;
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function invalidValue(path: JsonPath, problem: string): GaltError {
  const where = path.length === 0 ? '(root)' : path.join('.');
  return new GaltError('invalid_input', `canonicalJson: invalid value at ${where}: ${problem}`, {
    remedy: 'Convert the value to plain JSON data (finite numbers, strings, arrays, objects)',
    issues: [{ path: [...path], code: 'invalid_json_value', message: problem }],
  });
}
