import type { StreamEvent } from '@galt/protocol';

/** One position where the replayed stream differs from the recorded one. */
export interface EventMismatch {
  /** Position in the run's event stream, from 0. */
  index: number;
  recordedSeq: number | null;
  kind: string | null;
  reason: string;
}

/** Mismatches listed in full; the count covers all of them. */
export const MAX_LISTED_MISMATCHES = 20;

/**
 * Compares two event streams position by position by digest. Returns the number of mismatching
 * positions and the first {@link MAX_LISTED_MISMATCHES} of them.
 */
export function compareEventStreams(
  recorded: readonly StreamEvent[],
  replayed: readonly StreamEvent[],
  digest: (event: StreamEvent) => string,
): { count: number; listed: EventMismatch[] } {
  const listed: EventMismatch[] = [];
  let count = 0;
  const length = Math.max(recorded.length, replayed.length);
  for (let index = 0; index < length; index += 1) {
    const original = recorded[index];
    const copy = replayed[index];
    const reason = mismatchReason(original, copy, digest);
    if (reason === null) continue;
    count += 1;
    if (listed.length < MAX_LISTED_MISMATCHES) {
      listed.push({
        index,
        recordedSeq: original?.seq ?? null,
        kind: original?.kind ?? copy?.kind ?? null,
        reason,
      });
    }
  }
  return { count, listed };
}

function mismatchReason(
  original: StreamEvent | undefined,
  copy: StreamEvent | undefined,
  digest: (event: StreamEvent) => string,
): string | null {
  if (original === undefined) return `the replay produced an extra ${copy?.kind} event`;
  if (copy === undefined) return `the replay ended before this ${original.kind} event`;
  if (original.kind !== copy.kind) return `expected ${original.kind}, replay produced ${copy.kind}`;
  if (digest(original) !== digest(copy)) return `${original.kind} event differs in content`;
  return null;
}
