import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaltError } from './errors.js';
import { fnv1a32, hashedNgramFeatures, hashedNgramSlots, tokenizeText } from './ngram-features.js';

function norm(vector: Float32Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}

describe('fnv1a32', () => {
  it('matches reference values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-8 bytes, including astral and lone surrogates', () => {
    for (const text of ['é', '日本', '😀x', 'a\ud800b']) {
      const bytes = new TextEncoder().encode(text);
      let hash = 0x811c9dc5;
      for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
      expect(fnv1a32(text)).toBe(hash);
    }
  });
});

describe('tokenizeText', () => {
  it('lowercases and splits on non-letters and non-digits', () => {
    expect(tokenizeText("  Hello, WORLD! it's 42 Ünïcode ")).toEqual([
      'hello',
      'world',
      'it',
      's',
      '42',
      'ünïcode',
    ]);
    expect(tokenizeText('...')).toEqual([]);
  });
});

describe('hashedNgramFeatures', () => {
  it('is L2-normalised and deterministic', () => {
    const first = hashedNgramFeatures('Give me the key to the gate', 64);
    const second = hashedNgramFeatures('give me THE key, to the gate!', 64);
    expect(norm(first)).toBeCloseTo(1, 6);
    expect(Array.from(first)).toEqual(Array.from(second));
  });

  it('distinguishes word order through bigrams', () => {
    const forward = hashedNgramFeatures('dog bites man', 1024);
    const reverse = hashedNgramFeatures('man bites dog', 1024);
    expect(Array.from(forward)).not.toEqual(Array.from(reverse));
  });

  it('places a single token at its hash slot with its sign', () => {
    const hash = fnv1a32('sword');
    const features = hashedNgramFeatures('sword', 97);
    const sign = hash >= 0x80000000 ? -1 : 1;
    expect(features[hash % 97]).toBe(sign);
  });

  it('hashes a bigram as its two tokens joined by a space', () => {
    const dimension = 1 << 20;
    const features = hashedNgramFeatures('iron sword', dimension);
    const bigram = fnv1a32('iron sword');
    const nonZero = Array.from(features.keys()).filter((index) => features[index] !== 0);
    expect(nonZero).toContain(bigram % dimension);
    expect(nonZero).toHaveLength(3);
  });

  it('returns zeros for text without tokens', () => {
    const features = hashedNgramFeatures(' ,.! ', 8);
    expect(Array.from(features)).toEqual(new Array(8).fill(0));
  });

  it('writes into and clears the given buffer', () => {
    const buffer = new Float32Array(16).fill(5);
    const result = hashedNgramFeatures('', 16, buffer);
    expect(result).toBe(buffer);
    expect(Array.from(buffer)).toEqual(new Array(16).fill(0));
  });

  it('rejects a bad dimension or buffer length', () => {
    expect(() => hashedNgramFeatures('a', 0)).toThrow(GaltError);
    expect(() => hashedNgramFeatures('a', 2.5)).toThrow(GaltError);
    expect(() => hashedNgramFeatures('a', 8, new Float32Array(4))).toThrow(/length 4/);
  });

  it('has unit norm or is zero for any text', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 512 }), (text, dimension) => {
        const features = hashedNgramFeatures(text, dimension);
        expect(features.length).toBe(dimension);
        const length = norm(features);
        const expected = tokenizeText(text).length === 0 ? 0 : 1;
        if (expected === 0 || length === 0) {
          expect(features.every((value) => value === 0)).toBe(true);
        } else {
          expect(length).toBeCloseTo(1, 5);
        }
      }),
    );
  });
});

describe('hashedNgramSlots', () => {
  function densify(text: string, dimension: number): Float32Array {
    const { slots, values } = hashedNgramSlots(text, dimension);
    const dense = new Float32Array(dimension);
    slots.forEach((slot, index) => {
      dense[slot] = values[index] ?? Number.NaN;
    });
    return dense;
  }

  it('lists the dense non-zero slots, ascending', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 1, max: 64 }), (text, size) => {
        const { slots } = hashedNgramSlots(text, size);
        expect([...slots]).toEqual([...slots].sort((a, b) => a - b));
        expect(new Set(slots).size).toBe(slots.length);
        expect(densify(text, size)).toEqual(hashedNgramFeatures(text, size));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps cancelled slots as zero', () => {
    // Dimension 1 puts every n-gram in slot 0, and 'a a' has two equal tokens and one bigram.
    const texts = ['word', 'the cat sat on the mat', 'a a', 'Hello, world! Hello?'];
    for (const text of texts) expect(densify(text, 1)).toEqual(hashedNgramFeatures(text, 1));
    expect(hashedNgramSlots('', 8).slots.length).toBe(0);
  });

  it('rejects a bad dimension', () => {
    expect(() => hashedNgramSlots('x', 0)).toThrow(GaltError);
  });
});
