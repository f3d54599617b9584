import type { MemoryCandidate, SafetyLayer, TaskProposal, WorldEvent } from '@galt/protocol';

/** One item the safety stack screens. */
export type ScreenTarget =
  | { kind: 'input'; id: string; text: string; event?: WorldEvent }
  /** Concatenated text of the whole turn window, so requests split across inputs are screened. */
  | { kind: 'window'; id: string; text: string }
  | { kind: 'proposal'; id: string; text: string; proposal: TaskProposal }
  | { kind: 'chunk'; id: string; index: number; text: string }
  | { kind: 'candidate'; id: string; text: string; candidate: MemoryCandidate };

export type ScreenTargetKind = ScreenTarget['kind'];

/** Result of one rule on one target. */
export type RuleOutcome = { status: 'pass' } | { status: 'violate' | 'ambiguous'; reason: string };

/** A typed predicate at one safety layer. */
export interface SafetyRule<C = unknown> {
  /** Stable id, recorded in verdicts and the ledger. */
  id: string;
  layer: SafetyLayer;
  description: string;
  /** Target kinds the rule screens, or all kinds when absent. */
  appliesTo?: readonly ScreenTargetKind[];
  evaluate(target: ScreenTarget, context: C): RuleOutcome;
}

/** Shared passing outcome, so rules need not allocate one per call. */
export const PASS: RuleOutcome = Object.freeze({ status: 'pass' });

/** Builds a violation outcome. */
export function violate(reason: string): RuleOutcome {
  return { status: 'violate', reason };
}

/** Builds an ambiguous outcome: the rule cannot tell, so the item is deferred, not admitted. */
export function ambiguous(reason: string): RuleOutcome {
  return { status: 'ambiguous', reason };
}
