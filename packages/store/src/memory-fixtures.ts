import type { AdjudicationRecord, MemoryCandidate, SafetyLayer } from '@galt/protocol';

/** Fields a test sets on a candidate; the rest get neutral defaults. */
export interface CandidateFields {
  readonly agentId?: string;
  readonly subject?: string;
  readonly attribute?: string;
  readonly content: string;
  readonly candidateId?: string;
  readonly dependencyLayer?: SafetyLayer;
  readonly tick?: number;
}

/** Builds a user-sourced, consented memory candidate for tests and benchmarks. */
export function buildCandidate(fields: CandidateFields): MemoryCandidate {
  return {
    candidateId: fields.candidateId ?? `cand-${fields.content}`,
    agentId: fields.agentId ?? 'npc-1',
    subject: fields.subject ?? 'player-1',
    attribute: fields.attribute ?? 'hobby',
    content: fields.content,
    dependencyLayer: fields.dependencyLayer ?? 'L3',
    provenance: 'user_sourced',
    consent: 'given',
    importance: 0.5,
    tick: fields.tick ?? 1,
  };
}

/** Builds the accepting adjudication of `candidate`, as core's adjudicator returns it. */
export function acceptCandidate(candidate: MemoryCandidate): AdjudicationRecord {
  return {
    candidateId: candidate.candidateId,
    agentId: candidate.agentId,
    subject: candidate.subject,
    decision: 'accept',
    gate: 1,
    decidingLayer: candidate.dependencyLayer,
    dependencyLayer: candidate.dependencyLayer,
    violationLayer: 'none',
    residual: 'none',
    reasons: [],
    verdicts: [
      { layer: 'L0', status: 'pass' },
      { layer: 'L1', status: 'pass' },
      { layer: 'L2', status: 'pass' },
      { layer: 'L3', status: 'pass' },
    ],
    tick: candidate.tick,
  };
}
