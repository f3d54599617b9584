import { type Logger, SafetyStack } from '@galt/core';
import { createLanguageBoundary, type LanguageBoundary } from './language-boundary.js';
import { PREFERENCE_RULES } from './preference-rules.js';
import type { VillageRuleContext } from './rule-context.js';
import {
  consentRule,
  languageBoundaryRule,
  learnedMemoryRule,
  privacyRule,
} from './social-rules.js';
import { WORKFLOW_RULES } from './workflow-rules.js';
import { WORLD_RULES } from './world-rules.js';

/** Options of the village safety stack. */
export interface VillageStackOptions {
  logger?: Logger;
  boundary?: LanguageBoundary;
  /** Whether the model's memory residual takes part in screening candidates (default true). */
  learnedMemoryRule?: boolean;
}

/** Builds the village's stratified safety stack: L0 world, L1 social, L2 workflow, L3 preference. */
export function createVillageSafetyStack(
  options: VillageStackOptions = {},
): SafetyStack<VillageRuleContext> {
  const stack = new SafetyStack<VillageRuleContext>(
    options.logger === undefined ? {} : { logger: options.logger },
  );
  for (const rule of WORLD_RULES) stack.register(rule);
  stack.register(languageBoundaryRule(options.boundary ?? createLanguageBoundary()));
  stack.register(consentRule);
  stack.register(privacyRule);
  if (options.learnedMemoryRule !== false) stack.register(learnedMemoryRule);
  for (const rule of WORKFLOW_RULES) stack.register(rule);
  for (const rule of PREFERENCE_RULES) stack.register(rule);
  return stack;
}
