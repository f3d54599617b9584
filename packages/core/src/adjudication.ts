import {
  type AdjudicationRecord,
  formatIssues,
  isHardLayer,
  type LayerVerdict,
  type MemoryCandidate,
  MemoryCandidateSchema,
  parseWith,
  type ResidualKind,
  SAFETY_LAYERS,
  type SafetyLayer,
  type SafetyVerdict,
  SafetyVerdictSchema,
  type ViolationLayer,
} from '@galt/protocol';
import type { z } from 'zod';
import { GaltError } from './errors.js';

/** Rule id recorded when self-originated content about someone else is offered as memory. */
export const SELF_ORIGINATED_RULE_ID = 'core.self_originated_user_fact';
/** Rule id recorded when a user-sourced fact lacks consent. */
export const CONSENT_RULE_ID = 'core.user_fact_consent';

/** Classifier outputs, kept beside the rule's decision for audit. They never decide. */
export type ProposedAdjudication = NonNullable<AdjudicationRecord['proposed']>;

/** Options of `adjudicateCandidate`. */
export interface AdjudicationOptions {
  proposed?: ProposedAdjudication;
  /** Tick to record. Defaults to the verdict's tick. */
  tick?: number;
}

/**
 * Decides whether a memory candidate may be written, from the safety verdict of its turn and the
 * candidate's own checks, and returns the record as plain data.
 *
 * An L0 or L1 violation rejects (gate 0, `hard_violation`). An L2 or L3 violation defers
 * (`soft_rule_debt`), an ambiguous layer defers (`boundary_ambiguity`), and otherwise the candidate
 * is accepted with gate 1. Self-originated content about a subject other than the agent itself is
 * an L1 violation, because it would enter memory as a fact about a user that no user stated. A
 * user-sourced fact whose consent is `not_given` or `withdrawn` is an L1 violation too.
 */
export function adjudicateCandidate(
  candidate: MemoryCandidate,
  verdict: SafetyVerdict,
  options: AdjudicationOptions = {},
): AdjudicationRecord {
  const checked = parseInput(MemoryCandidateSchema, candidate, 'candidate');
  const screened = parseInput(SafetyVerdictSchema, verdict, 'verdict');
  return adjudicateValidated(checked, screened, options);
}

/**
 * Decides like `adjudicateCandidate` but skips the zod validation of both inputs, for callers
 * whose candidate and verdict already passed `MemoryCandidateSchema` and `SafetyVerdictSchema` or
 * were built by this package (a `SafetyStack` verdict). Untrusted input must go through
 * `adjudicateCandidate`, because a malformed value here gives an undefined record.
 */
export function adjudicateValidated(
  candidate: MemoryCandidate,
  verdict: SafetyVerdict,
  options: AdjudicationOptions = {},
): AdjudicationRecord {
  const findings = candidateChecks(candidate);
  const verdicts = mergeVerdicts(verdict.layers, findings);
  const violationLayer = lowestWithStatus(verdicts, 'violate');
  const ambiguousLayer = lowestWithStatus(verdicts, 'ambiguous');

  const outcome = decide(candidate.dependencyLayer, violationLayer, ambiguousLayer);
  const record: AdjudicationRecord = {
    candidateId: candidate.candidateId,
    agentId: candidate.agentId,
    subject: candidate.subject,
    ...outcome,
    dependencyLayer: candidate.dependencyLayer,
    violationLayer,
    reasons: describeFindings(verdict.layers, findings),
    verdicts,
    tick: options.tick ?? verdict.tick,
  };
  if (options.proposed !== undefined) record.proposed = { ...options.proposed };
  return record;
}

type Outcome = Pick<AdjudicationRecord, 'decision' | 'gate' | 'decidingLayer' | 'residual'>;

function decide(
  dependencyLayer: SafetyLayer,
  violationLayer: ViolationLayer,
  ambiguousLayer: ViolationLayer,
): Outcome {
  if (violationLayer !== 'none') {
    const residual: ResidualKind = isHardLayer(violationLayer)
      ? 'hard_violation'
      : 'soft_rule_debt';
    const decision = residual === 'hard_violation' ? 'reject' : 'defer';
    return { decision, gate: 0, decidingLayer: violationLayer, residual };
  }
  if (ambiguousLayer !== 'none') {
    return {
      decision: 'defer',
      gate: 0,
      decidingLayer: ambiguousLayer,
      residual: 'boundary_ambiguity',
    };
  }
  return { decision: 'accept', gate: 1, decidingLayer: dependencyLayer, residual: 'none' };
}

/** Returns the L1 violations that the candidate's provenance and consent cause by themselves. */
function candidateChecks(candidate: MemoryCandidate): LayerVerdict[] {
  const target = `candidate:${candidate.candidateId}`;
  const findings: LayerVerdict[] = [];
  if (candidate.provenance === 'self_originated' && candidate.subject !== candidate.agentId) {
    findings.push({
      layer: 'L1',
      status: 'violate',
      ruleId: SELF_ORIGINATED_RULE_ID,
      reason: `self-originated content about '${candidate.subject}' cannot become a user fact`,
      target,
    });
  }
  if (
    candidate.provenance === 'user_sourced' &&
    (candidate.consent === 'not_given' || candidate.consent === 'withdrawn')
  ) {
    findings.push({
      layer: 'L1',
      status: 'violate',
      ruleId: CONSENT_RULE_ID,
      reason: `consent for this user-sourced fact is ${candidate.consent.replace('_', ' ')}`,
      target,
    });
  }
  return findings;
}

/**
 * Combines screen verdicts with candidate findings. Per layer, violate beats ambiguous, and the
 * first verdict of a status wins. Each result is a copy, so the record shares no object with its
 * inputs.
 */
function mergeVerdicts(
  layers: readonly LayerVerdict[],
  findings: readonly LayerVerdict[],
): LayerVerdict[] {
  const merged: LayerVerdict[] = [];
  for (const layer of SAFETY_LAYERS) {
    const chosen =
      findLayer(layers, findings, layer, 'violate') ??
      findLayer(layers, findings, layer, 'ambiguous');
    merged.push(chosen === undefined ? { layer, status: 'pass' } : { ...chosen });
  }
  return merged;
}

/** First verdict of `layer` with `status`, screen verdicts before candidate findings. */
function findLayer(
  layers: readonly LayerVerdict[],
  findings: readonly LayerVerdict[],
  layer: SafetyLayer,
  status: 'violate' | 'ambiguous',
): LayerVerdict | undefined {
  // Plain loops: this runs eight times per candidate, and callbacks would allocate closures.
  for (const verdict of layers)
    if (verdict.layer === layer && verdict.status === status) return verdict;
  for (const verdict of findings)
    if (verdict.layer === layer && verdict.status === status) return verdict;
  return undefined;
}

function lowestWithStatus(
  verdicts: readonly LayerVerdict[],
  status: 'violate' | 'ambiguous',
): ViolationLayer {
  return verdicts.find((verdict) => verdict.status === status)?.layer ?? 'none';
}

function describeFindings(
  layers: readonly LayerVerdict[],
  findings: readonly LayerVerdict[],
): string[] {
  const reasons: string[] = [];
  for (const verdict of [...layers, ...findings]) {
    if (verdict.status === 'pass') continue;
    reasons.push(`${verdict.layer} ${verdict.status} (${verdict.ruleId}): ${verdict.reason}`);
  }
  return reasons;
}

function parseInput<S extends z.ZodType>(schema: S, value: unknown, name: string): z.output<S> {
  const parsed = parseWith(schema, value);
  if (parsed.ok) return parsed.value;
  throw new GaltError(
    'invalid_input',
    `adjudicateCandidate: invalid ${name}: ${formatIssues(parsed.issues)}`,
    {
      remedy: `Pass a ${name} that matches the protocol schema`,
      issues: parsed.issues,
    },
  );
}
