import { type Logger, SafetyStack } from '@galt/core';
import type { AgentDeclaration } from './declaration.js';
import type { SafetyChannel, SafetyContext } from './runtime-types.js';

/**
 * Returns the channel that screens one agent: the runtime's channel, or, when the agent names a
 * subset of rules, a stack with only those rules. Subsets need the channel to be a `SafetyStack`.
 */
export function selectSafetyChannel(
  channel: SafetyChannel,
  declaration: AgentDeclaration,
  logger: Logger,
):
  | { ok: true; channel: SafetyChannel }
  | { ok: false; issues: { path: (string | number)[]; code: string; message: string }[] } {
  if (declaration.safetyRules.length === 0) return { ok: true, channel };
  if (!(channel instanceof SafetyStack)) {
    const message =
      'safetyRules selects rules of a SafetyStack, but the runtime safety channel is not one';
    return { ok: false, issues: [{ path: ['safetyRules'], code: 'custom', message }] };
  }
  const stack = channel as SafetyStack<SafetyContext>;
  const byId = new Map(stack.rules().map((rule) => [rule.id, rule]));
  const issues = declaration.safetyRules.flatMap((id, index) =>
    byId.has(id)
      ? []
      : [
          {
            path: ['safetyRules', index],
            code: 'custom',
            message: `safety rule '${id}' is not registered`,
          },
        ],
  );
  if (issues.length > 0) return { ok: false, issues };
  const subset = new SafetyStack<SafetyContext>({ logger });
  for (const id of declaration.safetyRules) subset.register(byId.get(id)!);
  return { ok: true, channel: subset };
}
