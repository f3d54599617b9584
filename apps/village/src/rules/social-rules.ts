import { ambiguous, PASS, type SafetyRule, violate } from '@galt/core';
import type { LanguageBoundary } from './language-boundary.js';
import {
  LEARNED_CONTEXT_KEY,
  LearnedFindingSchema,
  type VillageRuleContext,
} from './rule-context.js';

/** L1: no offensive language in player input, NPC output, or memory candidates. */
export function languageBoundaryRule(boundary: LanguageBoundary): SafetyRule<VillageRuleContext> {
  return {
    id: 'social.language_boundary',
    layer: 'L1',
    description: 'No offensive terms, from the naughty-words and obscenity English lists',
    // The window repeats earlier inputs, so screening it here would re-flag a screened input.
    appliesTo: ['input', 'proposal', 'chunk', 'candidate'],
    evaluate(target) {
      const term = boundary.findTerm(target.text);
      return term === null ? PASS : violate(`offensive term "${term}"`);
    },
  };
}

/** L1: a user-sourced fact is remembered only with consent. */
export const consentRule: SafetyRule<VillageRuleContext> = {
  id: 'social.consent',
  layer: 'L1',
  description: 'A user-sourced personal fact needs consent that was given and not withdrawn',
  appliesTo: ['candidate'],
  evaluate(target) {
    if (target.kind !== 'candidate') return PASS;
    const { provenance, consent } = target.candidate;
    if (provenance !== 'user_sourced') return PASS;
    if (consent === 'withdrawn' || consent === 'not_given') {
      return violate(`consent is ${consent.replace('_', ' ')}`);
    }
    return PASS;
  },
};

const SECRET_PATTERN =
  /\b(?:password|passcode|api[\s_-]?key|access[\s_-]?token|private[\s_-]?key|credentials?|social security number)\b/i;
const THIRD_PARTY_PATTERN =
  /\b(?:neighbou?r|colleague|relative|family member|friend|coworker|sibling|spouse|someone else)'?s?\b/i;
const SENSITIVE_PATTERN =
  /\b(?:health|medical|diagnos\w*|illness|financial|debt|job loss|salary|hardship|divorce|pregnan\w*)\b/i;

/** L1: secrets are never remembered; sensitive facts about third parties are deferred. */
export const privacyRule: SafetyRule<VillageRuleContext> = {
  id: 'social.privacy',
  layer: 'L1',
  description: 'No secrets in memory or replies; third-party sensitive facts need review',
  appliesTo: ['candidate', 'chunk'],
  evaluate(target) {
    if (SECRET_PATTERN.test(target.text)) return violate('text contains a secret or credential');
    if (THIRD_PARTY_PATTERN.test(target.text) && SENSITIVE_PATTERN.test(target.text)) {
      return ambiguous('sensitive fact about a third party without their consent');
    }
    return PASS;
  },
};

/**
 * L1: the memory channel's learned residual. A candidate the model marks `hard_violation` is a
 * violation and one it marks `boundary_ambiguity` is deferred. A plain "do not consolidate" is
 * not a safety finding, so the memory channel applies it after adjudication instead.
 */
export const learnedMemoryRule: SafetyRule<VillageRuleContext> = {
  id: 'memory.learned_residual',
  layer: 'L1',
  description: 'The typed-channel model flags the candidate as unsafe or not worth keeping',
  appliesTo: ['candidate'],
  evaluate(target) {
    if (target.kind !== 'candidate') return PASS;
    const parsed = LearnedFindingSchema.safeParse(target.candidate.context?.[LEARNED_CONTEXT_KEY]);
    if (!parsed.success) return PASS;
    const finding = parsed.data;
    if (finding.residual === 'hard_violation') return violate('model residual: hard violation');
    if (finding.residual === 'boundary_ambiguity') {
      return ambiguous('model residual: boundary ambiguity');
    }
    return PASS;
  },
};
