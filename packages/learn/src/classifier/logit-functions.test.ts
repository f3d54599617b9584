import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossEntropy, maskedCrossEntropy } from './logit-functions.js';

const CLASSES = 6;
const logitRow = fc.array(fc.float({ min: -20, max: 20, noNaN: true }), {
  minLength: CLASSES,
  maxLength: CLASSES,
});

describe('maskedCrossEntropy', () => {
  it('equals crossEntropy when every class is allowed', () => {
    fc.assert(
      fc.property(logitRow, fc.integer({ min: 0, max: CLASSES - 1 }), (row, label) => {
        const logits = Float32Array.from(row);
        const all = new Set(Array.from({ length: CLASSES }, (_, j) => j));
        const masked = maskedCrossEntropy(logits, [label], CLASSES, all);
        const full = crossEntropy(logits, [label], CLASSES);
        expect(masked.values[0]).toBeCloseTo(full.values[0]!, 5);
        for (let j = 0; j < CLASSES; j++) {
          expect(masked.logitGradient[j]).toBeCloseTo(full.logitGradient[j]!, 5);
        }
      }),
    );
  });

  it('matches crossEntropy on the allowed logits alone', () => {
    fc.assert(
      fc.property(logitRow, fc.integer({ min: 0, max: 1 }), (row, label) => {
        const logits = Float32Array.from(row);
        const allowed = new Set([2, 4]);
        const masked = maskedCrossEntropy(logits, [[2, 4][label]!], CLASSES, allowed);
        const reduced = crossEntropy(Float32Array.of(logits[2]!, logits[4]!), [label], 2);
        expect(masked.values[0]).toBeCloseTo(reduced.values[0]!, 5);
        expect(masked.logitGradient[2]).toBeCloseTo(reduced.logitGradient[0]!, 5);
        expect(masked.logitGradient[4]).toBeCloseTo(reduced.logitGradient[1]!, 5);
      }),
    );
  });

  it('rejects a label outside the mask', () => {
    const logits = new Float32Array(CLASSES);
    expect(() => maskedCrossEntropy(logits, [5], CLASSES, new Set([2, 3]))).toThrow(
      /label 5 of row 0 is not an allowed class/,
    );
  });

  it('leaves logits outside the mask without gradient', () => {
    const logits = Float32Array.of(5, -1, 0.5, 3, 2, 9, 0, 1, 1, 1, 1, 1);
    const { logitGradient } = maskedCrossEntropy(logits, [2, 3], CLASSES, new Set([2, 3]));
    for (const j of [0, 1, 4, 5]) {
      expect(logitGradient[j]).toBe(0);
      expect(logitGradient[CLASSES + j]).toBe(0);
    }
    expect(logitGradient[2]! + logitGradient[3]!).toBeCloseTo(0, 6);
  });
});
