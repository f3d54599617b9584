/** Readers for fields of event payloads, which arrive as untyped JSON objects. */

export type JsonObject = Record<string, unknown>;

/** Returns the value as an object, or null when it is not a plain JSON object. */
export function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : null;
}

/** Returns the named field as a string, or null when it is missing or of another type. */
export function stringField(object: JsonObject | null, key: string): string | null {
  const value = object?.[key];
  return typeof value === 'string' ? value : null;
}

/** Returns the named field as a finite number, or null. */
export function numberField(object: JsonObject | null, key: string): number | null {
  const value = object?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Returns the named field as an array of objects, skipping elements that are not objects. */
export function objectList(object: JsonObject | null, key: string): JsonObject[] {
  const value = object?.[key];
  if (!Array.isArray(value)) return [];
  const objects: JsonObject[] = [];
  for (const element of value) {
    const item = asObject(element);
    if (item !== null) objects.push(item);
  }
  return objects;
}

/** Returns the named field as an array of strings, skipping other elements. */
export function stringList(object: JsonObject | null, key: string): string[] {
  const value = object?.[key];
  if (!Array.isArray(value)) return [];
  return value.filter((element): element is string => typeof element === 'string');
}

/** Appends an item and drops the oldest ones beyond `max`. */
export function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
