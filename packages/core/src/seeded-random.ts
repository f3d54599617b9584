import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GaltError } from './errors.js';
import { parseSnapshot } from './snapshot-parse.js';

const Uint32Schema = z.number().int().min(0).max(0xffffffff);
const StateWordsSchema = z
  .tuple([Uint32Schema, Uint32Schema, Uint32Schema, Uint32Schema])
  .refine((words) => words.some((word) => word !== 0), 'xoshiro128** state must not be all zero');

/** Serialisable state of a `SeededRandom`: the seed-derived origin and the current state. */
export const RandomStateSchema = z.object({
  /** State right after seeding, from which `split` derives child streams. */
  origin: StateWordsSchema,
  state: StateWordsSchema,
});
export type RandomState = z.infer<typeof RandomStateSchema>;

type StateWords = [number, number, number, number];

const TWO_POW_32 = 0x100000000;
/** 2^-53: scales a 53-bit integer into [0, 1) with every double in that grid reachable. */
const TWO_POW_MINUS_53 = 1 / 2 ** 53;

/**
 * Deterministic pseudo-random generator: xoshiro128** (Blackman and Vigna) with 128-bit state.
 *
 * Number seeds are expanded with splitmix32. String seeds and `split` labels go through SHA-256, so
 * every label gives a full 128-bit state and distinct labels give independent streams.
 */
export class SeededRandom {
  readonly #origin: StateWords;
  readonly #state: StateWords;

  constructor(seed: number | string) {
    this.#origin = typeof seed === 'string' ? wordsFromDigest(`seed\n${seed}`) : numberSeed(seed);
    this.#state = [...this.#origin];
  }

  /** Returns the next 32-bit unsigned integer. */
  nextUint32(): number {
    const state = this.#state;
    const result = Math.imul(rotateLeft(Math.imul(state[1], 5), 7), 9) >>> 0;
    const shifted = state[1] << 9;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= shifted;
    state[3] = rotateLeft(state[3], 11);
    for (let index = 0; index < 4; index += 1) state[index] = (state[index] ?? 0) >>> 0;
    return result;
  }

  /** Returns a float in [0, 1) with 53 random bits, consuming two 32-bit outputs. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 0x4000000 + low) * TWO_POW_MINUS_53;
  }

  /** Returns an unbiased integer in [0, n) for an integer n in [1, 2^32]. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new GaltError('invalid_input', `SeededRandom.nextInt: bound ${n} is invalid`, {
        remedy: 'Pass an integer bound between 1 and 2^32',
      });
    }
    // Reject the top partial block of 2^32 so every residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let value = this.nextUint32();
    while (value >= limit) value = this.nextUint32();
    return value % n;
  }

  /** Returns a uniformly chosen item. Throws `invalid_input` when `items` is empty. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new GaltError('invalid_input', 'SeededRandom.pick: the item list is empty', {
        remedy: 'Pass at least one item',
      });
    }
    return items[this.nextInt(items.length)] as T;
  }

  /** Returns a shuffled copy of `items` (Fisher–Yates) and leaves the input unchanged. */
  shuffle<T>(items: readonly T[]): T[] {
    const result = [...items];
    for (let index = result.length - 1; index > 0; index -= 1) {
      const other = this.nextInt(index + 1);
      const item = result[index] as T;
      result[index] = result[other] as T;
      result[other] = item;
    }
    return result;
  }

  /**
   * Derives an independent generator from this one's seed and `label`. It consumes no output of
   * this generator, so the same seed and label always give the same child stream.
   */
  split(label: string): SeededRandom {
    const origin = this.#origin.map((word) => word.toString(16).padStart(8, '0')).join('');
    return SeededRandom.#fromOrigin(wordsFromDigest(`split\n${origin}\n${label}`));
  }

  /** Returns the state as plain JSON data. */
  snapshot(): RandomState {
    return { origin: [...this.#origin], state: [...this.#state] };
  }

  /** Rebuilds a generator that continues exactly where the snapshot was taken. */
  static restore(state: unknown): SeededRandom {
    const parsed = parseSnapshot(RandomStateSchema, state, 'SeededRandom.restore');
    const random = SeededRandom.#fromOrigin(parsed.origin);
    random.#state.splice(0, 4, ...parsed.state);
    return random;
  }

  static #fromOrigin(origin: StateWords): SeededRandom {
    const random = new SeededRandom(0);
    random.#origin.splice(0, 4, ...origin);
    random.#state.splice(0, 4, ...origin);
    return random;
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function numberSeed(seed: number): StateWords {
  if (!Number.isSafeInteger(seed)) {
    throw new GaltError('invalid_input', `SeededRandom: seed ${seed} is not a safe integer`, {
      remedy: 'Pass an integer seed (within ±2^53) or a string seed',
    });
  }
  const bits = BigInt.asUintN(64, BigInt(seed));
  const low = Number(bits & 0xffffffffn);
  const high = Number(bits >> 32n);
  // Fold the high word in through one splitmix32 round so seeds differing only there diverge.
  let mixer = (low ^ splitmix32Mix(high)) >>> 0;
  const words: number[] = [];
  for (let index = 0; index < 4; index += 1) {
    mixer = (mixer + 0x9e3779b9) >>> 0;
    words.push(splitmix32Mix(mixer));
  }
  return ensureNonZero(words as StateWords);
}

/** splitmix32 output function: a bijective mix of one 32-bit word. */
function splitmix32Mix(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function wordsFromDigest(text: string): StateWords {
  const digest = createHash('sha256').update(text).digest();
  const words: StateWords = [
    digest.readUInt32LE(0),
    digest.readUInt32LE(4),
    digest.readUInt32LE(8),
    digest.readUInt32LE(12),
  ];
  return ensureNonZero(words);
}

/** xoshiro128** never leaves the all-zero state, so it must never start there. */
function ensureNonZero(words: StateWords): StateWords {
  if (words.every((word) => word === 0)) words[0] = 1;
  return words;
}
