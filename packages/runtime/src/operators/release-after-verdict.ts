import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Holds back every value of the source until `verdict$` emits. A passing verdict (`true`) releases
 * the held values in order and lets later ones through; a blocking verdict (`false`) drops them all
 * and completes. The source is what must never run early: side-effecting tool calls.
 */
export function releaseAfterVerdict<T>(verdict$: Observable<boolean>): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let held: T[] = [];
      let verdict: boolean | null = null;
      let sourceDone = false;

      const verdictSubscription = verdict$.subscribe({
        next: (passed) => {
          if (verdict !== null) return;
          verdict = passed;
          const released = held;
          held = [];
          if (!passed) {
            subscriber.complete();
            return;
          }
          for (const value of released) subscriber.next(value);
          if (sourceDone) subscriber.complete();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (verdict === null) subscriber.complete();
        },
      });

      const sourceSubscription = source.subscribe({
        next: (value) => {
          if (verdict === true) subscriber.next(value);
          else if (verdict === null) held.push(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (verdict !== null) subscriber.complete();
        },
      });

      return () => {
        verdictSubscription.unsubscribe();
        sourceSubscription.unsubscribe();
      };
    });
}
