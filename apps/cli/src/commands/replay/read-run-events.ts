import type { LedgerRecord, StreamEvent } from '@galt/protocol';
import type { GaltStore } from '@galt/store';

/** Events read per query, which bounds memory per page. */
const PAGE_SIZE = 5_000;

/** Reads every event of one run in sequence order. */
export function readRunEvents(store: GaltStore, runId: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  let fromSeq = 1;
  for (;;) {
    const page = store.readEvents({ runId, fromSeq, limit: PAGE_SIZE });
    events.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE_SIZE || last === undefined) return events;
    fromSeq = last.seq + 1;
  }
}

/** Returns the run id of the newest event in the store, or null when it contains no events. */
export function latestRunId(store: GaltStore): string | null {
  const head = store.headSeq();
  if (head === 0) return null;
  return store.readEvents({ fromSeq: head, limit: 1 })[0]?.runId ?? null;
}

/**
 * Reads the ledger records written before `runId` started: the memory state the run began
 * with. Returns every record when the run has no `run_started` record.
 */
export function ledgerBeforeRun(store: GaltStore, runId: string): LedgerRecord[] {
  const records: LedgerRecord[] = [];
  let fromSeq = 1;
  for (;;) {
    const page = store.ledger.read(fromSeq, PAGE_SIZE);
    for (const record of page) {
      if (record.kind === 'run_started' && record.payload['runId'] === runId) return records;
      records.push(record);
    }
    const last = page.at(-1);
    if (page.length < PAGE_SIZE || last === undefined) return records;
    fromSeq = last.seq + 1;
  }
}
