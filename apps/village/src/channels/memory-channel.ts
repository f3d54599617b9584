import { adjudicateCandidate, type SafetyStack, type ScreenTarget } from '@galt/core';
import type { AdjudicationRecord, MemoryCandidate, SafetyVerdict } from '@galt/protocol';
import type { ChannelPrediction } from '../model/typed-channel-model.js';
import type { LearnedFinding, VillageRuleContext } from '../rules/rule-context.js';

/** Rule id recorded when the memory head declines to consolidate an otherwise admissible fact. */
export const MEMORY_HEAD_RULE_ID = 'memory.head_not_consolidated';

/** The verdict on a candidate's turn and the resulting ledger record. */
export interface MemoryDecision {
  verdict: SafetyVerdict;
  record: AdjudicationRecord;
}

/**
 * Adjudicates one memory candidate. The safety stack screens the candidate and the given turn
 * targets, with the model's residual as a learned L1 rule. Core's adjudication decides from that
 * verdict. The model's layer heads and gate are kept in `proposed` only. When the rules accept
 * but the memory head outputs `not_consolidated`, the write gate closes: the record becomes a
 * `reject` with residual `none`, as for a fact that is safe but not worth keeping.
 */
export function decideMemory(
  stack: SafetyStack<VillageRuleContext>,
  candidate: MemoryCandidate,
  prediction: ChannelPrediction,
  context: VillageRuleContext,
  turnTargets: readonly ScreenTarget[] = [],
): MemoryDecision {
  const target: ScreenTarget = {
    kind: 'candidate',
    id: `candidate:${candidate.candidateId}`,
    text: candidate.content,
    candidate,
  };
  const verdict = stack.screen({
    agentId: candidate.agentId,
    tick: candidate.tick,
    targets: [...turnTargets, target],
    context,
  });
  const record = adjudicateCandidate(candidate, verdict, {
    proposed: {
      dependencyLayer: prediction.memoryLayer,
      violationLayer: prediction.violationLayer,
      gate: prediction.gate[2],
    },
    tick: candidate.tick,
  });
  if (record.decision !== 'accept' || prediction.memory === 'accepted_trace') {
    return { verdict, record };
  }
  return {
    verdict,
    record: {
      ...record,
      decision: 'reject',
      gate: 0,
      reasons: [
        ...record.reasons,
        `${MEMORY_HEAD_RULE_ID}: the memory head does not consolidate it`,
      ],
    },
  };
}

/** Returns the model's reading of a candidate in the form kept in the candidate's context. */
export function learnedFinding(prediction: ChannelPrediction): LearnedFinding {
  return {
    memory: prediction.memory,
    residual: prediction.residual,
    memoryLayer: prediction.memoryLayer,
    violationLayer: prediction.violationLayer,
    gate: prediction.gate[2],
  };
}
