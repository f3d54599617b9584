import { z } from 'zod';

/** Stable error codes shared by every package, the CLI and the wire protocol. */
export const ERROR_CODES = [
  'invalid_input',
  'invalid_config',
  'invalid_tool_arguments',
  'invalid_tool_result',
  'unknown_tool',
  'tool_failed',
  'malformed_json',
  'unknown_message',
  'payload_too_large',
  'unauthorized',
  'not_found',
  'version_conflict',
  'ledger_corrupt',
  'database_unreadable',
  'storage_full',
  'model_mismatch',
  'graph_invalid',
  'execution_provider_unavailable',
  'non_finite_update',
  'slow_consumer',
  'timed_out',
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** One validation problem: where in the input (path) and which rule failed. */
export const ValidationIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string(),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

export const ErrorPayloadSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  issues: z.array(ValidationIssueSchema).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;
