import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { GaltError } from './errors.js';

function reorderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderKeys);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).reverse();
    return Object.fromEntries(entries.map(([key, field]) => [key, reorderKeys(field)]));
  }
  return value;
}

/** Serialises valid JSON data with sorted keys at every level and undefined fields dropped. */
function referenceJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map(
        (key) => `${JSON.stringify(key)}:${referenceJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

function thrownBy(action: () => unknown): GaltError {
  try {
    action();
  } catch (error) {
    if (error instanceof GaltError) return error;
    throw error;
  }
  throw new Error('expected a GaltError');
}

describe('canonicalJson', () => {
  it('sorts keys at every level without whitespace', () => {
    const text = canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } });
    expect(text).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('omits undefined object fields and honours toJSON', () => {
    expect(canonicalJson({ a: undefined, b: new Date(0) })).toBe(
      '{"b":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it('escapes strings like JSON.stringify', () => {
    expect(canonicalJson('a"b\n\u2028')).toBe(JSON.stringify('a"b\n\u2028'));
  });

  it('rejects non-finite numbers with a path', () => {
    const error = thrownBy(() => canonicalJson({ a: [1, Number.NaN] }));
    expect(error.code).toBe('invalid_input');
    expect(error.issues?.[0]?.path).toEqual(['a', 1]);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(GaltError);
  });

  it('rejects undefined inside arrays', () => {
    const error = thrownBy(() => canonicalJson([1, undefined]));
    expect(error.message).toContain('undefined is not allowed in an array');
  });

  it('rejects bigint, functions, maps and cycles', () => {
    expect(() => canonicalJson(1n)).toThrow(GaltError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(GaltError);
    expect(() => canonicalJson(new Map())).toThrow(GaltError);
    expect(() => canonicalJson(new Uint8Array(2))).toThrow(GaltError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  it('matches a plain sorted-key serialiser', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(referenceJson(value));
      }),
      { numRuns: 500 },
    );
    expect(canonicalJson({ 10: 1, 2: [-0, 1e21, 0.1], '': null })).toBe(
      '{"":null,"10":1,"2":[0,1e+21,0.1]}',
    );
  });

  it('allows shared non-cyclic references', () => {
    const shared = { v: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"v":1},{"v":1}]');
  });

  it('round-trips through JSON.parse and ignores key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(reorderKeys(value))).toBe(text);
        expect(text).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
      }),
    );
  });
});

describe('sha256Hex', () => {
  it('matches known digests', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('hashes strings as UTF-8', () => {
    expect(sha256Hex('é')).toBe(sha256Hex(new Uint8Array([0xc3, 0xa9])));
  });
});
