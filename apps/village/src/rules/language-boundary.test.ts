import { englishDataset } from 'obscenity';
import { describe, expect, it } from 'vitest';
import { createLanguageBoundary, readNaughtyWordsEnglish } from './language-boundary.js';

const boundary = createLanguageBoundary();

/** Place names and everyday words that contain a listed term inside a longer word. */
const SCUNTHORPE_CASES = [
  'Scunthorpe',
  'Sussex',
  'Middlesex',
  'Essex',
  'cocktail',
  'assassin',
  'classic',
  'therapist',
  'grape',
  'Dickens',
  'analysis',
  'cumulative',
  'Titanic',
  'shitake',
  'Uranus',
  'passage',
  'Hancock',
];

describe('language boundary', () => {
  it('flags every naughty-words English term', () => {
    const missed: string[] = [];
    for (const term of readNaughtyWordsEnglish()) {
      if (!/[\p{L}\p{N}]/u.test(term)) continue;
      if (boundary.findTerm(`well, ${term}, then`) === null) missed.push(term);
    }
    expect(missed).toEqual([]);
  });

  it('passes every whitelisted obscenity term', () => {
    const whitelisted = englishDataset.build().whitelistedTerms ?? [];
    expect(whitelisted.length).toBeGreaterThan(0);
    const flagged = whitelisted.filter((term) => boundary.findTerm(`well, ${term}, then`) !== null);
    expect(flagged).toEqual([]);
  });

  it('passes words that only contain a term', () => {
    const flagged = SCUNTHORPE_CASES.filter((word) => boundary.findTerm(`I visited ${word}.`));
    expect(flagged).toEqual([]);
  });

  it('flags obfuscated spellings', () => {
    expect(boundary.findTerm('you are a b1tch')).toBe('bitch');
    expect(boundary.findTerm('sh1t happens')).toBe('shit');
    expect(boundary.findTerm('fuuuuck this')).toBe('fuck');
  });

  it('passes clean text', () => {
    expect(boundary.findTerm('Good morning, may I buy some bread?')).toBeNull();
    expect(boundary.findTerm('')).toBeNull();
  });
});
