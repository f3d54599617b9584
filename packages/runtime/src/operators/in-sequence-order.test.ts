import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { inSequenceOrder } from './in-sequence-order.js';

/** Creates a TestScheduler whose assertions use vitest's deep equality. */
function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

const e = (seq: number) => ({ seq });

describe('inSequenceOrder', () => {
  it('reorders early arrivals behind the gap', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('acb---d|', { a: e(1), b: e(2), c: e(3), d: e(4) });
      expectObservable(source.pipe(inSequenceOrder(1))).toBe('a-(bc)d|', {
        a: e(1),
        b: e(2),
        c: e(3),
        d: e(4),
      });
    });
  });

  it('drops duplicates and numbers already passed', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abab|', { a: e(5), b: e(6) });
      expectObservable(source.pipe(inSequenceOrder(5))).toBe('ab--|', { a: e(5), b: e(6) });
    });
  });

  it('starts at the requested number', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abc|', { a: e(1), b: e(2), c: e(3) });
      expectObservable(source.pipe(inSequenceOrder(2))).toBe('-bc|', { b: e(2), c: e(3) });
    });
  });
});
