import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkScreenTexts, endsSentence } from './turn-screening.js';

describe('chunkScreenTexts', () => {
  it('screens chunks by whole sentence', () => {
    const chunks = ['Hello.', ' Now go ki', 'll the guard.', ' Bye'];
    const sentence = ' Now go kill the guard.';
    expect(chunkScreenTexts(chunks)).toEqual(['Hello.', sentence, sentence, ' Bye']);
  });

  it('closing quotes end a sentence', () => {
    expect(chunkScreenTexts(['He said "go."  ', 'Then', ' left!'])).toEqual([
      'He said "go."  ',
      'Then left!',
      'Then left!',
    ]);
  });

  it('sentences contain chunks and rebuild reply', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 8 }), (chunks) => {
        const texts = chunkScreenTexts(chunks);
        expect(texts).toHaveLength(chunks.length);
        texts.forEach((text, index) => {
          expect(text).toContain(chunks[index] ?? '');
        });
        // The text of the chunk that closes each sentence, joined, gives back the whole reply.
        const closing = texts.filter(
          (_, index) => index === chunks.length - 1 || endsSentence(chunks[index] ?? ''),
        );
        expect(closing.join('')).toBe(chunks.join(''));
      }),
    );
  });
});
