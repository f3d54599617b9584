import { z } from 'zod';
import { LayerVerdictSchema } from './channels.js';
import { SafetyLayerSchema, ViolationLayerSchema } from './layers.js';

export const DecisionSchema = z.enum(['accept', 'reject', 'defer']);
export type Decision = z.infer<typeof DecisionSchema>;

export const ResidualKindSchema = z.enum([
  'none',
  'boundary_ambiguity',
  'hard_violation',
  'soft_rule_debt',
]);
export type ResidualKind = z.infer<typeof ResidualKindSchema>;

/** The decision on one memory candidate, as stored in the ledger. */
export const AdjudicationRecordSchema = z.object({
  candidateId: z.string().min(1),
  agentId: z.string().min(1),
  subject: z.string().min(1),
  decision: DecisionSchema,
  /** Write gate in [0, 1]: 1 writes fully, 0 writes nothing. */
  gate: z.number().min(0).max(1),
  /** Layer that decided (the violated one, or the memory's own layer on acceptance). */
  decidingLayer: ViolationLayerSchema,
  dependencyLayer: SafetyLayerSchema,
  violationLayer: ViolationLayerSchema,
  residual: ResidualKindSchema,
  reasons: z.array(z.string()),
  verdicts: z.array(LayerVerdictSchema),
  /** Proposals from a classifier (model heads), kept beside the rule's decision for audit. */
  proposed: z
    .object({
      dependencyLayer: ViolationLayerSchema.optional(),
      violationLayer: ViolationLayerSchema.optional(),
      gate: z.number().optional(),
    })
    .optional(),
  tick: z.number().int().nonnegative(),
});
export type AdjudicationRecord = z.infer<typeof AdjudicationRecordSchema>;

/** Carried-forward residual debt: a candidate not yet admitted, to be re-adjudicated later. */
export const ResidualDebtSchema = z.object({
  debtId: z.string().min(1),
  agentId: z.string().min(1),
  candidateId: z.string().min(1),
  residual: ResidualKindSchema,
  layer: ViolationLayerSchema,
  reason: z.string(),
  tick: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
});
export type ResidualDebt = z.infer<typeof ResidualDebtSchema>;
