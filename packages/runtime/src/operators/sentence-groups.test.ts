import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { sentenceGroups } from './sentence-groups.js';

function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

describe('sentenceGroups', () => {
  it('emits a group when a chunk ends a sentence', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c-|', { a: 'Fine day.', b: ' Go ki', c: 'll it!' });
      expectObservable(source.pipe(sentenceGroups())).toBe('a---c-|', {
        a: { first: 0, texts: ['Fine day.'] },
        c: { first: 1, texts: [' Go ki', 'll it!'] },
      });
    });
  });

  it('emits the unfinished sentence when the source completes', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-|', { a: 'Hello', b: ' there' });
      expectObservable(source.pipe(sentenceGroups())).toBe('----(g|)', {
        g: { first: 0, texts: ['Hello', ' there'] },
      });
    });
  });

  it('passes errors on and stops', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-#', { a: 'Hi' }, new Error('source failed'));
      expectObservable(source.pipe(sentenceGroups())).toBe(
        '--#',
        undefined,
        new Error('source failed'),
      );
    });
  });
});
