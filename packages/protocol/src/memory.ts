import { z } from 'zod';
import { SafetyLayerSchema } from './layers.js';

/** Where a memory's content came from. Self-originated content is never admitted as user fact. */
export const ProvenanceSchema = z.enum(['user_sourced', 'world_observed', 'self_originated']);
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const ConsentSchema = z.enum(['given', 'not_given', 'withdrawn', 'not_required']);
export type Consent = z.infer<typeof ConsentSchema>;

export const MemoryStatusSchema = z.enum(['active', 'superseded', 'quarantined']);
export type MemoryStatus = z.infer<typeof MemoryStatusSchema>;

/** Lowercase hex SHA-256. */
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected lowercase hex SHA-256');

/** A fact an agent proposes to remember, before adjudication. */
export const MemoryCandidateSchema = z.object({
  candidateId: z.string().min(1),
  agentId: z.string().min(1),
  /** Who or what the fact is about, e.g. a player id. */
  subject: z.string().min(1),
  /** Which property of the subject the fact sets; facts with equal subject and attribute conflict. */
  attribute: z.string().min(1),
  content: z.string().min(1).max(10_000),
  /** The lowest safety layer whose rules this memory rests on. */
  dependencyLayer: SafetyLayerSchema,
  provenance: ProvenanceSchema,
  consent: ConsentSchema,
  /** Importance in [0, 1], used by retrieval. */
  importance: z.number().min(0).max(1).default(0.5),
  tick: z.number().int().nonnegative(),
  /** Free-form context the adjudicator may read (the utterance, curriculum conditions). */
  context: z.record(z.string(), z.unknown()).optional(),
});
export type MemoryCandidate = z.infer<typeof MemoryCandidateSchema>;
export type MemoryCandidateInput = z.input<typeof MemoryCandidateSchema>;

/** A stored memory. Records are never deleted; superseded ones link to their successor. */
export const MemoryRecordSchema = z.object({
  memoryId: z.string().min(1),
  agentId: z.string().min(1),
  subject: z.string().min(1),
  attribute: z.string().min(1),
  content: z.string(),
  dependencyLayer: SafetyLayerSchema,
  provenance: ProvenanceSchema,
  consent: ConsentSchema,
  importance: z.number().min(0).max(1),
  contentHash: Sha256HexSchema,
  /** Per (agent, subject, attribute) version, from 1; a write must name the version it read. */
  version: z.number().int().positive(),
  status: MemoryStatusSchema,
  supersedes: z.string().nullable(),
  supersededBy: z.string().nullable(),
  /** Ledger sequence number of the admission that created this record. */
  createdSeq: z.number().int().positive(),
  tick: z.number().int().nonnegative(),
});
export type MemoryRecord = z.infer<typeof MemoryRecordSchema>;
