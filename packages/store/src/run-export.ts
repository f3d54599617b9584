import { canonicalJson, GaltError } from '@galt/core';
import {
  type LedgerRecord,
  LedgerRecordSchema,
  parseJsonWith,
  RunInfoSchema,
  StreamEventSchema,
} from '@galt/protocol';
import { z } from 'zod';
import type { Connection } from './connection.js';
import { encodeLedgerPayload } from './ledger-hash.js';
import type { LedgerStore } from './ledger-store.js';
import { type RawLedgerRow, verifyLedgerRows } from './ledger-verify.js';
import type { MemoryStore } from './memory-store.js';
import type { RunStore } from './run-store.js';

/** Version of the JSONL export format; bump it on any incompatible change. */
export const RUN_EXPORT_VERSION = 1;

/** One line of a run export. Every line is canonical JSON. */
export const RunExportLineSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('header'),
    format: z.literal('galt-run'),
    version: z.literal(RUN_EXPORT_VERSION),
    runId: z.string().min(1),
  }),
  z.object({ type: z.literal('run'), run: RunInfoSchema }),
  z.object({ type: z.literal('event'), event: StreamEventSchema }),
  z.object({ type: z.literal('ledger'), record: LedgerRecordSchema }),
]);
export type RunExportLine = z.infer<typeof RunExportLineSchema>;

/** The store parts an export or import touches. */
export interface ExportParts {
  readonly connection: Connection;
  readonly runs: RunStore;
  readonly ledger: LedgerStore;
  readonly memory: MemoryStore;
}

/** Page size for reading events and ledger records during an export. */
const EXPORT_PAGE = 10_000;

/**
 * Exports a run as JSONL: a header, the run, its events, then the whole ledger up to the head,
 * because a hash chain can only be checked from its first record.
 */
export function exportRun(parts: ExportParts, runId: string): string {
  return parts.connection.snapshot(() => {
    const run = parts.runs.getRun(runId);
    if (run === null) {
      throw new GaltError('not_found', `run ${runId} not found`, {
        remedy: 'Pass an existing runId',
      });
    }
    const lines: RunExportLine[] = [
      { type: 'header', format: 'galt-run', version: RUN_EXPORT_VERSION, runId },
      { type: 'run', run },
    ];
    for (let from = 1; ; ) {
      const events = parts.runs.readEvents({ runId, fromSeq: from, limit: EXPORT_PAGE });
      for (const event of events) lines.push({ type: 'event', event });
      if (events.length < EXPORT_PAGE) break;
      from = events.at(-1)!.seq + 1;
    }
    const head = parts.ledger.head();
    for (const record of parts.ledger.readRange(1, head.seq))
      lines.push({ type: 'ledger', record });
    return lines.map((line) => `${canonicalJson(line)}\n`).join('');
  });
}

/**
 * Imports a run export in one transaction. The run must be new and its event seqs free. The
 * exported ledger must extend this store's ledger or equal a prefix of it. Memory is then rebuilt
 * from the ledger.
 */
export function importRun(parts: ExportParts, jsonl: string): void {
  const lines = parseLines(jsonl);
  const run = lines.find((line) => line.type === 'run');
  if (run === undefined) throw invalidExport('it has no run line');
  const events = lines.flatMap((line) => (line.type === 'event' ? [line.event] : []));
  const records = lines.flatMap((line) => (line.type === 'ledger' ? [line.record] : []));
  checkChain(records);

  parts.connection.transaction(() => {
    if (parts.runs.getRun(run.run.runId) !== null) {
      throw invalidExport(`run ${run.run.runId} already exists in this store`);
    }
    parts.runs.putRun(run.run);
    for (const event of events) insertEvent(parts, event);
    mergeLedger(parts, records);
    parts.memory.rebuild();
  });
}

function parseLines(jsonl: string): RunExportLine[] {
  const lines: RunExportLine[] = [];
  const texts = jsonl.split('\n').filter((text) => text.length > 0);
  texts.forEach((text, index) => {
    const parsed = parseJsonWith(RunExportLineSchema, text);
    if (!parsed.ok) {
      const detail = parsed.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw invalidExport(`line ${index + 1} is invalid: ${detail.join('; ')}`);
    }
    lines.push(parsed.value);
  });
  const header = lines[0];
  if (header?.type !== 'header') throw invalidExport('line 1 is not a galt-run header');
  return lines;
}

function checkChain(records: readonly LedgerRecord[]): void {
  const rows: RawLedgerRow[] = records.map((record) => [
    record.seq,
    record.kind,
    encodeLedgerPayload(record.kind, record.tick, record.payload),
    record.prevHash,
    record.hash,
  ]);
  const last = records.at(-1);
  const head = { seq: last?.seq ?? 0, hash: last?.hash ?? '0'.repeat(64) };
  const result = verifyLedgerRows(rows, head);
  if (!result.ok) {
    throw invalidExport(
      `its ledger fails verification at seq ${result.firstBadSeq}: ${result.reason}`,
    );
  }
}

function insertEvent(parts: ExportParts, event: z.infer<typeof StreamEventSchema>): void {
  const existing = parts.runs.readEvents({ fromSeq: event.seq, limit: 1 })[0];
  if (existing?.seq === event.seq) {
    throw invalidExport(`event seq ${event.seq} is already used in this store`);
  }
  parts.runs.insertEvent(event);
}

function mergeLedger(parts: ExportParts, records: readonly LedgerRecord[]): void {
  const head = parts.ledger.head();
  const overlap = records.filter((record) => record.seq <= head.seq);
  const lastShared = overlap.at(-1);
  if (lastShared !== undefined) {
    const [own] = parts.ledger.read(lastShared.seq, 1);
    if (own?.hash !== lastShared.hash) {
      throw invalidExport(
        `its ledger diverges from this store's ledger at or before seq ${lastShared.seq}`,
      );
    }
  }
  const fresh = records.filter((record) => record.seq > head.seq);
  if (fresh.length > 0) parts.ledger.insertVerbatim(fresh, head);
}

function invalidExport(detail: string): GaltError {
  return new GaltError('invalid_input', `run export cannot be imported: ${detail}`, {
    remedy: 'Import an unmodified exportRun() output into a store whose ledger it extends',
  });
}
