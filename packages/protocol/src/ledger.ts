import { z } from 'zod';
import { Sha256HexSchema } from './memory.js';

/** Kinds of ledger records. Each payload carries its own `tick`. */
export const LEDGER_KINDS = [
  'run_started',
  'run_finished',
  'adjudication',
  'turn_rejected',
  'memory_admitted',
  'memory_deduplicated',
  'memory_superseded',
  'memory_quarantined',
  'memory_released',
  'residual_debt',
  'residual_readjudicated',
  'parametric_write',
  'parametric_rollback',
  'parametric_refused',
  'checkpoint',
] as const;
export const LedgerKindSchema = z.enum(LEDGER_KINDS);
export type LedgerKind = z.infer<typeof LedgerKindSchema>;

/** The `prev_hash` of the first record: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One ledger record. `hash` is the hex SHA-256 of `prevHash + "\n" + seq + "\n" + kind + "\n" +
 * payload`, where payload is canonical JSON (keys sorted at every level, no whitespace).
 */
export const LedgerRecordSchema = z.object({
  seq: z.number().int().positive(),
  kind: LedgerKindSchema,
  tick: z.number().int().nonnegative(),
  payload: z.record(z.string(), z.unknown()),
  prevHash: Sha256HexSchema,
  hash: Sha256HexSchema,
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

/** What the caller appends; the store assigns `seq` and the hashes. */
export const LedgerAppendSchema = z.object({
  kind: LedgerKindSchema,
  tick: z.number().int().nonnegative(),
  payload: z.record(z.string(), z.unknown()),
});
export type LedgerAppend = z.infer<typeof LedgerAppendSchema>;

/** Result of verifying a hash chain. */
export const ChainVerificationSchema = z.object({
  ok: z.boolean(),
  records: z.number().int().nonnegative(),
  firstBadSeq: z.number().int().positive().nullable(),
  reason: z.string().nullable(),
  headHash: Sha256HexSchema.nullable(),
});
export type ChainVerification = z.infer<typeof ChainVerificationSchema>;
