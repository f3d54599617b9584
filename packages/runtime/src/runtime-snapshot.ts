import { GaltError, ResidualDebtBookStateSchema, TickClockStateSchema } from '@galt/core';
import { formatIssues, type ParseResult, parseWith, WorldEventSchema } from '@galt/protocol';
import { z } from 'zod';
import type { AdmittedAgent } from './agent-admission.js';
import { type AgentSnapshot, AgentSnapshotSchema, AgentState } from './agent-state.js';
import type { SafetyChannel } from './runtime-types.js';

/** Serialisable state of a runtime; memories and events live in the store, not here. */
export const RuntimeSnapshotSchema = z.object({
  runId: z.string().min(1),
  seed: z.number().int(),
  clock: TickClockStateSchema,
  pending: z.array(WorldEventSchema),
  agents: z.array(AgentSnapshotSchema),
  debts: ResidualDebtBookStateSchema,
});
export type RuntimeSnapshot = z.infer<typeof RuntimeSnapshotSchema>;

/** Validates a snapshot; throws `invalid_input` naming the problems. */
export function parseRuntimeSnapshot(snapshot: unknown): RuntimeSnapshot {
  const parsed = parseWith(RuntimeSnapshotSchema, snapshot);
  if (parsed.ok) return parsed.value;
  throw new GaltError(
    'invalid_input',
    `runtime snapshot is invalid: ${formatIssues(parsed.issues)}`,
    { remedy: 'Pass the output of Runtime.snapshot()', issues: parsed.issues },
  );
}

/**
 * Rebuilds agents from snapshots, admitting each declaration against the runtime again. Throws
 * `invalid_input` when an agent names a policy, tool or rule that is not registered.
 */
export function restoreAgents(
  states: readonly AgentSnapshot[],
  windowSize: number,
  admit: (
    declaration: unknown,
    agentIds: { has(agentId: string): boolean },
  ) => ParseResult<AdmittedAgent>,
): { agents: Map<string, AgentState>; safety: Map<string, SafetyChannel> } {
  const agents = new Map<string, AgentState>();
  const safety = new Map<string, SafetyChannel>();
  for (const state of states) {
    const admitted = admit(state.declaration, agents);
    if (!admitted.ok) {
      const problems = formatIssues(admitted.issues);
      throw new GaltError(
        'invalid_input',
        `snapshot agent '${state.declaration.id}' cannot be restored: ${problems}`,
        {
          remedy: 'Register the policies, tools and safety rules the agent names before restoring',
        },
      );
    }
    agents.set(state.declaration.id, AgentState.restore(state, windowSize));
    safety.set(state.declaration.id, admitted.value.safety);
  }
  return { agents, safety };
}
