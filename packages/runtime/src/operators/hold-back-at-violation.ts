import { concatMap, from, type Observable, type OperatorFunction, of, takeWhile } from 'rxjs';

/** One notification of a screened reply stream. */
export type ScreenedChunk =
  | { type: 'chunk'; index: number; text: string }
  | { type: 'rejected'; index: number; reason: string };

/** The screen's decision on one chunk: `null` lets it pass, a string names the violated rule. */
export type ChunkScreen = (
  text: string,
  index: number,
) => string | null | Promise<string | null> | Observable<string | null>;

/**
 * Screens reply chunks in order and withholds everything from the first violating chunk on: that
 * chunk becomes one `rejected` notification and the stream completes, so no later chunk is emitted
 * even when the source keeps producing. Each chunk waits for its own screen result before the next.
 */
export function holdBackAtViolation(screen: ChunkScreen): OperatorFunction<string, ScreenedChunk> {
  return (source) =>
    source.pipe(
      concatMap((text, index) => {
        const decision = screen(text, index);
        const decision$ =
          typeof decision === 'string' || decision === null ? of(decision) : from(decision);
        return decision$.pipe(
          concatMap(
            (reason): Observable<ScreenedChunk> =>
              reason === null
                ? of({ type: 'chunk', index, text })
                : of({ type: 'rejected', index, reason }),
          ),
        );
      }),
      takeWhile((item) => item.type === 'chunk', true),
    );
}
