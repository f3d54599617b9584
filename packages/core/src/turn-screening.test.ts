import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkScreenTexts } from './turn-screening.js';

describe('chunkScreenTexts', () => {
  it('screens each chunk with the reply through the end of its sentence', () => {
    const chunks = ['Hello.', ' Now go ki', 'll the guard.', ' Bye'];
    const sentence = 'Hello. Now go kill the guard.';
    expect(chunkScreenTexts(chunks)).toEqual(['Hello.', sentence, sentence, `${sentence} Bye`]);
  });

  it('treats closing quotes and trailing spaces after the mark as the sentence end', () => {
    expect(chunkScreenTexts(['He said "go."  ', 'Then', ' left!'])).toEqual([
      'He said "go."  ',
      'He said "go."  Then left!',
      'He said "go."  Then left!',
    ]);
  });

  it('gives every chunk a prefix of the reply that contains the chunk', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 8 }), (chunks) => {
        const texts = chunkScreenTexts(chunks);
        const reply = chunks.join('');
        expect(texts).toHaveLength(chunks.length);
        let end = 0;
        texts.forEach((text, index) => {
          end += chunks[index]?.length ?? 0;
          expect(reply.startsWith(text)).toBe(true);
          expect(text.length).toBeGreaterThanOrEqual(end);
        });
        if (chunks.length > 0) expect(texts.at(-1)).toBe(reply);
      }),
    );
  });
});
