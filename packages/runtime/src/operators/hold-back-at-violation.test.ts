import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { holdBackAtViolation } from './hold-back-at-violation.js';

/** Creates a TestScheduler whose assertions use vitest's deep equality. */
function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

const banned = (text: string) => (text.includes('secret') ? 'no_secrets' : null);

describe('holdBackAtViolation', () => {
  it('passes clean chunks through in order', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-|', { a: 'Hello', b: ' there' });
      expectObservable(source.pipe(holdBackAtViolation(banned))).toBe('a-b-|', {
        a: { type: 'chunk', index: 0, text: 'Hello' },
        b: { type: 'chunk', index: 1, text: ' there' },
      });
    });
  });

  it('withholds the violating chunk and everything after it', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-|', { a: 'Hi.', b: ' The secret is 42.', c: ' Bye.' });
      expectObservable(source.pipe(holdBackAtViolation(banned))).toBe('a-(r|)', {
        a: { type: 'chunk', index: 0, text: 'Hi.' },
        r: { type: 'rejected', index: 1, reason: 'no_secrets' },
      });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('waits for a slow screen before emitting', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('ab|', { a: 'one', b: 'two' });
      const slowScreen = (text: string) =>
        cold<string | null>('---(x|)', { x: text === 'two' ? 'late_rule' : null });
      expectObservable(source.pipe(holdBackAtViolation(slowScreen))).toBe('---a--(r|)', {
        a: { type: 'chunk', index: 0, text: 'one' },
        r: { type: 'rejected', index: 1, reason: 'late_rule' },
      });
    });
  });
});
