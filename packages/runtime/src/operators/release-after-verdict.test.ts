import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { releaseAfterVerdict } from './release-after-verdict.js';

/** Creates a TestScheduler whose assertions use vitest's deep equality. */
function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

describe('releaseAfterVerdict', () => {
  it('holds calls until a passing verdict, then releases them in order', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const calls = cold('ab-------c|');
      const verdict = cold('-----t', { t: true });
      expectObservable(calls.pipe(releaseAfterVerdict(verdict))).toBe('-----(ab)c|');
    });
  });

  it('drops every held call on a blocking verdict', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const calls = cold('ab------c|');
      const verdict = cold('-----f', { f: false });
      expectObservable(calls.pipe(releaseAfterVerdict(verdict))).toBe('-----|');
      expectSubscriptions(calls.subscriptions).toBe('^----!');
    });
  });

  it('completes after the verdict when the source finished first', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const calls = cold('a|');
      const verdict = cold('---t', { t: true });
      expectObservable(calls.pipe(releaseAfterVerdict(verdict))).toBe('---(a|)');
    });
  });

  it('ignores a second verdict', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const calls = cold('a---b|');
      const verdict = cold('-t-f', { t: true, f: false });
      expectObservable(calls.pipe(releaseAfterVerdict(verdict))).toBe('-a--b|');
    });
  });
});
