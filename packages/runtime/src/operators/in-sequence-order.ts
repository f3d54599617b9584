import { type MonoTypeOperatorFunction, Observable } from 'rxjs';

/** Upper bound on events held while waiting for a missing sequence number. */
export const MAX_HELD_OUT_OF_ORDER = 10_000;

/**
 * Emits events in sequence-number order starting at `nextSeq`, holding early arrivals until the
 * gap before them fills and dropping duplicates or numbers already passed. Errors when more than
 * `MAX_HELD_OUT_OF_ORDER` events wait, because a gap that never fills would otherwise grow memory.
 */
export function inSequenceOrder<T extends { seq: number }>(
  nextSeq: number,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let expected = nextSeq;
      const held = new Map<number, T>();
      return source.subscribe({
        next: (event) => {
          if (event.seq < expected || held.has(event.seq)) return;
          held.set(event.seq, event);
          if (held.size > MAX_HELD_OUT_OF_ORDER) {
            subscriber.error(
              new RangeError(`sequence gap at ${expected}: ${held.size} later events are waiting`),
            );
            return;
          }
          for (let next = held.get(expected); next !== undefined; next = held.get(expected)) {
            held.delete(expected);
            expected += 1;
            subscriber.next(next);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
