import { GaltError } from './errors.js';

/** FNV-1a 32-bit offset basis and prime (Fowler, Noll, Vo). */
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Code point written in place of a lone UTF-16 surrogate, as `TextEncoder` does. */
const REPLACEMENT_CHARACTER = 0xfffd;

/** Separator inside a bigram key. Tokens contain only letters and digits, never this. */
const BIGRAM_SEPARATOR = ' ';

const TOKEN_SEPARATOR = /[^\p{L}\p{N}]+/u;

/** Returns the FNV-1a 32-bit hash of the UTF-8 bytes of `text`, as an unsigned integer. */
export function fnv1a32(text: string): number {
  return fnvUpdate(FNV_OFFSET_BASIS, text);
}

/** Continues an FNV-1a hash over the UTF-8 bytes of `text`, so keys can be hashed in pieces. */
function fnvUpdate(start: number, text: string): number {
  let hash = start;
  for (let index = 0; index < text.length; index += 1) {
    let codePoint = text.codePointAt(index) ?? 0;
    if (codePoint > 0xffff) index += 1;
    else if (codePoint >= 0xd800 && codePoint <= 0xdfff) codePoint = REPLACEMENT_CHARACTER;
    hash = hashUtf8CodePoint(hash, codePoint);
  }
  return hash >>> 0;
}

function hashUtf8CodePoint(hash: number, codePoint: number): number {
  if (codePoint < 0x80) return hashByte(hash, codePoint);
  if (codePoint < 0x800) {
    return hashByte(hashByte(hash, 0xc0 | (codePoint >> 6)), 0x80 | (codePoint & 0x3f));
  }
  if (codePoint < 0x10000) {
    const lead = hashByte(hash, 0xe0 | (codePoint >> 12));
    return hashByte(hashByte(lead, 0x80 | ((codePoint >> 6) & 0x3f)), 0x80 | (codePoint & 0x3f));
  }
  let next = hashByte(hash, 0xf0 | (codePoint >> 18));
  next = hashByte(next, 0x80 | ((codePoint >> 12) & 0x3f));
  next = hashByte(next, 0x80 | ((codePoint >> 6) & 0x3f));
  return hashByte(next, 0x80 | (codePoint & 0x3f));
}

function hashByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
}

/** Splits lowercased `text` into tokens of letters and digits (Unicode classes L and N). */
export function tokenizeText(text: string): string[] {
  return text
    .toLowerCase()
    .split(TOKEN_SEPARATOR)
    .filter((token) => token.length > 0);
}

/**
 * Encodes `text` as signed hashed unigram and bigram features, L2-normalised.
 *
 * Each feature key is hashed with FNV-1a 32-bit. The hash modulo `dimension` picks the slot and
 * the top bit picks the sign, so colliding keys tend to cancel instead of piling up. Text without
 * tokens gives the zero vector. Writes into `out` when given (its length must equal `dimension`),
 * so per-tick callers can reuse one buffer.
 */
export function hashedNgramFeatures(
  text: string,
  dimension: number,
  out?: Float32Array,
): Float32Array {
  checkDimension(dimension, out);
  const features = out ?? new Float32Array(dimension);
  features.fill(0);

  forEachNgramHash(text, (hash) => {
    addFeature(features, hash);
  });
  normaliseL2(features);
  return features;
}

/** Calls `visit` with the FNV-1a hash of each unigram and bigram key of `text`, in text order. */
function forEachNgramHash(text: string, visit: (hash: number) => void): void {
  let previousHash: number | undefined;
  for (const token of tokenizeText(text)) {
    const tokenHash = fnv1a32(token);
    visit(tokenHash);
    if (previousHash !== undefined) {
      // Equals fnv1a32(previous + BIGRAM_SEPARATOR + token) without building the string.
      visit(fnvUpdate(fnvUpdate(previousHash, BIGRAM_SEPARATOR), token));
    }
    previousHash = tokenHash;
  }
}

/** Non-zero slots of a hashed n-gram feature vector, ascending, with their values. */
export interface FeatureSlots {
  slots: Int32Array;
  values: Float32Array;
}

/**
 * Returns the slots of `hashedNgramFeatures(text, dimension)` that any n-gram hashed to, in
 * ascending order, with their values. Every other slot of the dense vector is zero, and the values
 * are bit-identical to the dense ones, so a model can read a text's few dozen slots instead of its
 * whole vector. A slot whose n-grams cancel keeps its zero value.
 */
export function hashedNgramSlots(text: string, dimension: number): FeatureSlots {
  checkDimension(dimension, undefined);
  const signedSlots: number[] = [];
  forEachNgramHash(text, (hash) => {
    signedSlots.push(signedSlot(hash, dimension));
  });

  // Each entry is (slot + 1) with the hash's sign, so sorting by magnitude groups a slot's entries.
  signedSlots.sort((a, b) => Math.abs(a) - Math.abs(b));
  const slots: number[] = [];
  const sums: number[] = [];
  for (const entry of signedSlots) {
    const slot = Math.abs(entry) - 1;
    const last = slots.length - 1;
    if (slots[last] === slot) {
      sums[last] = (sums[last] ?? 0) + Math.sign(entry);
    } else {
      slots.push(slot);
      sums.push(Math.sign(entry));
    }
  }

  let sumOfSquares = 0;
  for (const value of sums) sumOfSquares += value * value;
  const scale = sumOfSquares === 0 ? 1 : 1 / Math.sqrt(sumOfSquares);
  return {
    slots: Int32Array.from(slots),
    values: Float32Array.from(sums, (value) => value * scale),
  };
}

/** Returns the slot of a hash plus one, negated when the hash's top bit gives the feature a minus sign. */
function signedSlot(hash: number, dimension: number): number {
  const slot = (hash % dimension) + 1;
  return hash >= 0x80000000 ? -slot : slot;
}

function addFeature(features: Float32Array, hash: number): void {
  const slot = hash % features.length;
  const sign = hash >= 0x80000000 ? -1 : 1;
  features[slot] = (features[slot] ?? 0) + sign;
}

function normaliseL2(features: Float32Array): void {
  let sumOfSquares = 0;
  for (const value of features) sumOfSquares += value * value;
  if (sumOfSquares === 0) return;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let index = 0; index < features.length; index += 1) {
    features[index] = (features[index] ?? 0) * scale;
  }
}

function checkDimension(dimension: number, out: Float32Array | undefined): void {
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new GaltError('invalid_input', `hashedNgramFeatures: dimension ${dimension} is invalid`, {
      remedy: 'Pass a positive integer dimension',
    });
  }
  if (out !== undefined && out.length !== dimension) {
    throw new GaltError(
      'invalid_input',
      `hashedNgramFeatures: output buffer has length ${out.length}, expected ${dimension}`,
      { remedy: 'Pass a Float32Array whose length equals the dimension' },
    );
  }
}
