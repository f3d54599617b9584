import { classIndex } from '../model/heads.js';
import type { LiveMemoryHead } from '../model/live-memory-head.js';
import type { TypedChannelModel } from '../model/typed-channel-model.js';

/** A text with the memory-head class it must keep (probe) or should keep (retention). */
export interface LabelledText {
  id: string;
  text: string;
  label: 'accepted_trace' | 'not_consolidated';
}

/** A labelled text encoded as the encoder activations the memory head reads. */
export interface EncodedRow {
  id: string;
  features: Float32Array<ArrayBuffer>;
  label: number;
}

/** Logit lead a probe's class keeps over the other class (learn's default margin). */
export const PROBE_MARGIN = 1;
/**
 * A hard row counts as violated when C = margin − lead exceeds this: the guarantee is C ≤ 0 with
 * no slack. The memory writer commits only with a buffer below zero.
 */
export const HARD_TOLERANCE = 0;
/** Encodes texts with the model's encoder, in one session run. */
export async function encodeRows(
  model: TypedChannelModel,
  rows: readonly LabelledText[],
): Promise<EncodedRow[]> {
  const predictions = await model.predict(rows.map((row) => row.text));
  return rows.map((row, index) => ({
    id: row.id,
    features: predictions[index]?.hidden ?? new Float32Array(0),
    label: classIndex('memory', row.label),
  }));
}

/** Computes the margin row C = margin − (z_label − z_other) of the live head on one row. */
export function violation(head: LiveMemoryHead, row: EncodedRow): number {
  const logits = head.logits(row.features, 1);
  const other = 1 - row.label;
  return PROBE_MARGIN - ((logits[row.label] ?? 0) - (logits[other] ?? 0));
}

/** Counts the rows whose margin row exceeds the hard tolerance under `head`. */
export function countViolations(head: LiveMemoryHead, rows: readonly EncodedRow[]): number {
  return rows.filter((row) => violation(head, row) > HARD_TOLERANCE).length;
}
