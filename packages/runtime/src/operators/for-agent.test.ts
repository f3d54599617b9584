import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { forAgent } from './for-agent.js';

/** Creates a TestScheduler whose assertions use vitest's deep equality. */
function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

const events = {
  a: { agentId: 'smith' },
  b: { agentId: 'guard' },
  w: { agentId: null },
};

describe('forAgent', () => {
  it('keeps only the named agent', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abwa|', events);
      expectObservable(source.pipe(forAgent('smith'))).toBe('a--a|', events);
    });
  });

  it('keeps world events when asked', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abwa|', events);
      expectObservable(source.pipe(forAgent('smith', { includeWorld: true }))).toBe(
        'a-wa|',
        events,
      );
    });
  });
});
