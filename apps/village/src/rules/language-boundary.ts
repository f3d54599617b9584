import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GaltError } from '@galt/core';
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { z } from 'zod';

/** Finds offensive terms in text. */
export interface LanguageBoundary {
  /** Returns the first offensive term found in `text`, or null when the text is clean. */
  findTerm(text: string): string | null;
  /** Number of whole-word terms and phrases taken from the naughty-words list. */
  readonly listSize: number;
}

const TermListSchema = z.array(z.string());
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Lowercases and turns every run of non-letters and non-digits into one space, padded. */
function normaliseWords(text: string): string {
  return ` ${text.toLowerCase().replace(NON_WORD, ' ').trim()} `;
}

/** Reads the English term list of npm `naughty-words` (CC-BY-4.0) and validates it. */
export function readNaughtyWordsEnglish(): string[] {
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require.resolve('naughty-words/en.json');
  } catch {
    throw new GaltError('not_found', 'the naughty-words package is not installed', {
      remedy: 'run npm install at the repository root',
    });
  }
  const parsed = TermListSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new GaltError('invalid_input', `${path} is not a JSON array of strings`);
  }
  return parsed.data;
}

/**
 * Builds the language boundary from two real lists. A text crosses it when a naughty-words term
 * occurs as whole words, or when obscenity's English matcher (which also matches leetspeak and
 * stretched letters) finds a term. Obscenity's whitelist is applied in both checks, so words
 * such as "Scunthorpe", "assassin" or "Dickens" pass.
 */
export function createLanguageBoundary(terms: readonly string[] = readNaughtyWordsEnglish()) {
  const built = englishDataset.build();
  const matcher = new RegExpMatcher({ ...built, ...englishRecommendedTransformers });
  const whitelist = (built.whitelistedTerms ?? []).map(normaliseWords);
  const singleWords = new Set<string>();
  const phrases: string[] = [];
  for (const term of terms) {
    const normalised = normaliseWords(term);
    if (normalised.trim().length === 0) continue;
    if (normalised.trim().includes(' ')) phrases.push(normalised);
    else singleWords.add(normalised.trim());
  }

  const findListed = (text: string): string | null => {
    let words = normaliseWords(text);
    for (const allowed of whitelist) words = words.replaceAll(allowed, ' ');
    for (const word of words.trim().split(' ')) {
      if (singleWords.has(word)) return word;
    }
    for (const phrase of phrases) {
      if (words.includes(phrase)) return phrase.trim();
    }
    return null;
  };

  const findObfuscated = (text: string): string | null => {
    const match = matcher.getAllMatches(text, true)[0];
    if (match === undefined) return null;
    return englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord ?? null;
  };

  const boundary: LanguageBoundary = {
    findTerm: (text) => findListed(text) ?? findObfuscated(text),
    listSize: singleWords.size + phrases.length,
  };
  return boundary;
}
