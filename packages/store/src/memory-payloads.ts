import {
  AdjudicationRecordSchema,
  MemoryRecordSchema,
  Sha256HexSchema,
  ViolationLayerSchema,
} from '@galt/protocol';
import { z } from 'zod';

/** Source of a quarantine: a caller by hand, or `applyAccessRule`. */
export const QuarantineSourceSchema = z.enum(['manual', 'access_rule']);
export type QuarantineSource = z.infer<typeof QuarantineSourceSchema>;

/** Payload of `memory_admitted`: the new record as created, and the adjudication behind it. */
export const MemoryAdmittedPayloadSchema = z.object({
  memory: MemoryRecordSchema,
  adjudication: AdjudicationRecordSchema,
  tick: z.number().int().nonnegative(),
});

/** Payload of `memory_deduplicated`: a repeated fact that left the existing record unchanged. */
export const MemoryDeduplicatedPayloadSchema = z.object({
  memoryId: z.string().min(1),
  agentId: z.string().min(1),
  subject: z.string().min(1),
  candidateId: z.string().min(1),
  contentHash: Sha256HexSchema,
  adjudication: AdjudicationRecordSchema,
  tick: z.number().int().nonnegative(),
});

/** Payload of `memory_superseded`: the old record and the successor that replaced it. */
export const MemorySupersededPayloadSchema = z.object({
  memoryId: z.string().min(1),
  supersededBy: z.string().min(1),
  agentId: z.string().min(1),
  subject: z.string().min(1),
  attribute: z.string().min(1),
  tick: z.number().int().nonnegative(),
});

/** Payload of `memory_quarantined` and `memory_released`. */
export const MemoryAccessPayloadSchema = z.object({
  memoryId: z.string().min(1),
  agentId: z.string().min(1),
  reason: z.string(),
  source: QuarantineSourceSchema,
  violationLayer: ViolationLayerSchema.optional(),
  tick: z.number().int().nonnegative(),
});
export type MemoryAccessPayload = z.infer<typeof MemoryAccessPayloadSchema>;
