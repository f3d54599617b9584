import { endsSentence } from '@galt/core';
import { Observable, type OperatorFunction } from 'rxjs';

/** Consecutive reply chunks that together end a sentence, with the index of the first. */
export interface ChunkGroup {
  first: number;
  texts: string[];
}

/**
 * Collects reply chunks until one ends a sentence (`endsSentence`), then emits them as one group;
 * chunks left when the source completes form the last group. A screen of whole groups gets every
 * sentence complete before any part of it is released.
 */
export function sentenceGroups(): OperatorFunction<string, ChunkGroup> {
  return (source) =>
    new Observable<ChunkGroup>((subscriber) => {
      let group: ChunkGroup = { first: 0, texts: [] };
      let index = 0;
      return source.subscribe({
        next: (text) => {
          group.texts.push(text);
          index += 1;
          if (!endsSentence(text)) return;
          subscriber.next(group);
          group = { first: index, texts: [] };
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (group.texts.length > 0) subscriber.next(group);
          subscriber.complete();
        },
      });
    });
}
