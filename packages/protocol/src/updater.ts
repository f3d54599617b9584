import { z } from 'zod';

/** Solve mode of a local step. `gauss_seidel` is the block iteration over shared duals. */
export const SolveModeSchema = z.enum([
  'adam',
  'sherman_morrison',
  'woodbury',
  'woodbury_jitter',
  'gauss_seidel',
]);
export type SolveMode = z.infer<typeof SolveModeSchema>;

/** Kind of a constraint row. A `consistency` row measures a forward-consistency edge between blocks. */
export const RowKindSchema = z.enum([
  'safety_probe',
  'retention',
  'memory_probe',
  'replay',
  'consistency',
]);
export type RowKind = z.infer<typeof RowKindSchema>;

/** One constraint row's state at a write: value before and after, multiplier and penalty. */
export const ConstraintRowReportSchema = z.object({
  rowId: z.string().min(1),
  kind: RowKindSchema,
  hard: z.boolean(),
  before: z.number(),
  after: z.number(),
  lambda: z.number().nonnegative(),
  rho: z.number().positive(),
});
export type ConstraintRowReport = z.infer<typeof ConstraintRowReportSchema>;

/** The ledger payload of a parametric memory write, committed or rolled back. */
export const ParametricWriteRecordSchema = z.object({
  writeId: z.string().min(1),
  agentId: z.string().min(1),
  outcome: z.enum(['committed', 'rolled_back', 'refused']),
  reason: z.string(),
  /** SHA-256 of the float32 parameter delta; equal to the zero-delta digest on rollback. */
  deltaDigest: z.string(),
  deltaNorm: z.number().nonnegative(),
  taskLossBefore: z.number(),
  taskLossAfter: z.number(),
  rows: z.array(ConstraintRowReportSchema),
  /** Hard rows with C > tolerance after the step (on a committed write this must be empty). */
  violatedRows: z.array(z.string()),
  solveMode: SolveModeSchema,
  conditionNumber: z.number().nonnegative(),
  passes: z.object({ forward: z.number().int(), backward: z.number().int() }),
  steps: z.number().int().nonnegative(),
  tick: z.number().int().nonnegative(),
});
export type ParametricWriteRecord = z.infer<typeof ParametricWriteRecordSchema>;
