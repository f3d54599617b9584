import type { Logger } from '@galt/core';
import type { ParseResult, ValidationIssue } from '@galt/protocol';
import { type AgentDeclaration, CHANNEL_NAMES, parseAgentDeclaration } from './declaration.js';
import type { DecisionModel } from './model/decision-model.js';
import type { SafetyChannel, TaskPolicy } from './runtime-types.js';
import { selectSafetyChannel } from './safety-selection.js';
import type { ToolRegistry } from './tools/tool-registry.js';

/** Runtime state an agent declaration is checked against beyond its own schema. */
export interface AdmissionContext {
  /** Ids already taken. */
  agentIds: { has(agentId: string): boolean };
  policies: ReadonlyMap<string, TaskPolicy>;
  tools: ToolRegistry;
  model: DecisionModel;
  safety: SafetyChannel;
  logger: Logger;
}

/** A declaration that passed every check, with the safety channel that will screen the agent. */
export interface AdmittedAgent {
  declaration: AgentDeclaration;
  safety: SafetyChannel;
}

/**
 * Validates a declaration and checks it against the runtime: a unique id, a registered policy,
 * registered tools and safety rules, and model heads that exist. Issues carry declaration paths.
 */
export function admitAgent(input: unknown, context: AdmissionContext): ParseResult<AdmittedAgent> {
  const parsed = parseAgentDeclaration(input);
  if (!parsed.ok) return parsed;
  const declaration = parsed.value;
  const issues: ValidationIssue[] = [];
  const issue = (path: (string | number)[], message: string) =>
    issues.push({ path, code: 'custom', message });

  if (context.agentIds.has(declaration.id))
    issue(['id'], `agent '${declaration.id}' already exists`);
  if (!context.policies.has(declaration.policy)) {
    issue(
      ['policy'],
      `policy '${declaration.policy}' is not registered; call registerPolicy first`,
    );
  }
  declaration.tools.forEach((tool, index) => {
    if (!context.tools.has(tool))
      issue(['tools', index], `tool '${tool}' is not registered; call registerTool first`);
  });
  for (const name of CHANNEL_NAMES) {
    const head = declaration.channels[name].head;
    if (head !== undefined && !(head in context.model.heads)) {
      issue(
        ['channels', name, 'head'],
        `model has no head '${head}'; its heads are ${Object.keys(context.model.heads).join(', ')}`,
      );
    }
  }
  const safety = selectSafetyChannel(context.safety, declaration, context.logger);
  if (!safety.ok) issues.push(...safety.issues);
  if (issues.length > 0 || !safety.ok) return { ok: false, issues };
  return { ok: true, value: { declaration, safety: safety.channel } };
}
