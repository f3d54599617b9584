import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaltError } from './errors.js';
import { SeededRandom } from './seeded-random.js';

const seedArbitrary = fc.oneof(fc.maxSafeInteger(), fc.string());

function draw(random: SeededRandom, count: number): number[] {
  return Array.from({ length: count }, () => random.nextUint32());
}

describe('SeededRandom', () => {
  it('matches the xoshiro128** reference output for state 1, 2, 3, 4', () => {
    const random = SeededRandom.restore({ origin: [1, 2, 3, 4], state: [1, 2, 3, 4] });
    expect(draw(random, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('identical seeds give identical streams', () => {
    fc.assert(
      fc.property(seedArbitrary, (seed) => {
        expect(draw(new SeededRandom(seed), 16)).toEqual(draw(new SeededRandom(seed), 16));
      }),
    );
  });

  it('different seeds give different streams', () => {
    fc.assert(
      fc.property(seedArbitrary, seedArbitrary, (first, second) => {
        fc.pre(first !== second);
        expect(draw(new SeededRandom(first), 4)).not.toEqual(draw(new SeededRandom(second), 4));
      }),
    );
  });

  it('number seeds differing only above 32 bits diverge', () => {
    expect(draw(new SeededRandom(1), 4)).not.toEqual(draw(new SeededRandom(1 + 2 ** 32), 4));
    expect(draw(new SeededRandom(-1), 4)).not.toEqual(draw(new SeededRandom(2 ** 32 - 1), 4));
  });

  it('split streams differ, are reproducible and leave the parent untouched', () => {
    fc.assert(
      fc.property(seedArbitrary, fc.string(), fc.string(), (seed, label, other) => {
        fc.pre(label !== other);
        const parent = new SeededRandom(seed);
        const reference = new SeededRandom(seed);
        parent.nextUint32();
        reference.nextUint32();

        const child = parent.split(label);
        expect(draw(parent, 8)).toEqual(draw(reference, 8));
        expect(draw(child, 8)).toEqual(draw(new SeededRandom(seed).split(label), 8));
        expect(draw(parent.split(label), 8)).not.toEqual(draw(parent.split(other), 8));
        expect(draw(parent.split(label), 8)).not.toEqual(draw(new SeededRandom(seed), 8));
      }),
    );
  });

  it('split depends on the parent seed', () => {
    expect(draw(new SeededRandom(1).split('agent-1'), 4)).not.toEqual(
      draw(new SeededRandom(2).split('agent-1'), 4),
    );
  });

  it('restore continues identically', () => {
    fc.assert(
      fc.property(seedArbitrary, fc.nat(64), fc.string(), (seed, skip, label) => {
        const random = new SeededRandom(seed);
        draw(random, skip);
        const state = JSON.parse(JSON.stringify(random.snapshot()));
        const restored = SeededRandom.restore(state);
        expect(draw(restored, 8)).toEqual(draw(random, 8));
        expect(draw(restored.split(label), 4)).toEqual(draw(random.split(label), 4));
      }),
    );
  });

  it('restore rejects malformed state', () => {
    expect(() => SeededRandom.restore({ origin: [1, 2, 3], state: [1, 2, 3, 4] })).toThrow(
      GaltError,
    );
    expect(() => SeededRandom.restore({ origin: [1, 2, 3, 4], state: [0, 0, 0, 0] })).toThrow(
      /all zero/,
    );
    expect(() => SeededRandom.restore(null)).toThrow(GaltError);
  });

  it('nextFloat stays in [0, 1)', () => {
    const random = new SeededRandom('floats');
    for (let index = 0; index < 10_000; index += 1) {
      const value = random.nextFloat();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('nextInt stays in range and covers every value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.string(), (n, seed) => {
        const random = new SeededRandom(seed);
        const seen = new Set<number>();
        for (let index = 0; index < 400; index += 1) {
          const value = random.nextInt(n);
          expect(Number.isInteger(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThan(n);
          seen.add(value);
        }
        expect(seen.size).toBe(n);
      }),
      { numRuns: 30 },
    );
    expect(new SeededRandom(3).nextInt(2 ** 32)).toBeLessThan(2 ** 32);
  });

  it('nextInt rejects invalid bounds', () => {
    const random = new SeededRandom(1);
    for (const bound of [0, -1, 1.5, 2 ** 32 + 1, Number.NaN]) {
      expect(() => random.nextInt(bound)).toThrow(GaltError);
    }
  });

  it('pick and shuffle are deterministic and complete', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const shuffled = new SeededRandom(9).shuffle(items);
    expect(new SeededRandom(9).shuffle(items)).toEqual(shuffled);
    expect([...shuffled].sort()).toEqual(items);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(items).toContain(new SeededRandom(9).pick(items));
    expect(() => new SeededRandom(9).pick([])).toThrow(/empty/);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new SeededRandom(1.5)).toThrow(GaltError);
    expect(() => new SeededRandom(2 ** 60)).toThrow(GaltError);
  });

  it('produces roughly uniform bits', () => {
    const random = new SeededRandom('bits');
    const counts = new Array(32).fill(0);
    const samples = 20_000;
    for (let index = 0; index < samples; index += 1) {
      const value = random.nextUint32();
      for (let bit = 0; bit < 32; bit += 1) counts[bit] += (value >>> bit) & 1;
    }
    // Each bit is Binomial(20000, 0.5): standard deviation about 71, so ±600 is over 8 sigma.
    for (const count of counts) expect(Math.abs(count - samples / 2)).toBeLessThan(600);
  });
});
