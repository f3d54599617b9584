import { z } from 'zod';

const count = z.number().int().nonnegative();

/**
 * Fields of the summary that `galt run --json` prints. The village returns more fields, but the
 * CLI promises these. A village change that drops one fails here, not in a user's script.
 */
export const RunSummarySchema = z.looseObject({
  runId: z.string().min(1),
  ticks: count,
  agents: count,
  decisions: count,
  memory: z.looseObject({
    candidates: count,
    accepted: count,
    rejected: count,
    quarantined: count,
    recalled: count,
  }),
  parametric: z.looseObject({
    writes: count,
    rollbacks: count,
    hardViolationsAfterWrites: count,
  }),
  ledger: z.looseObject({
    records: count,
    headHash: z.string().nullable(),
  }),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;
