import { buildTurnTargets, errorMessage, type ScreenTarget } from '@galt/core';
import type { SafetyVerdict, TaskProposal } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import type { TurnInput, TurnServices } from './agent-turn.js';
import { refuseBlockingInputs } from './input-refusal.js';
import type { SafetyContext } from './runtime-types.js';
import { failClosedVerdict } from './safety-verdicts.js';

/** A turn's verdict and the inputs refused because they caused its block. */
export interface TurnScreen {
  verdict: SafetyVerdict;
  refusedInputs: string[];
}

/**
 * Screens the turn: every unscreened input, the window text, the proposal, its chunks and its
 * memory candidates. A channel that throws or rejects blocks the turn (fails closed). A channel
 * that returns a passing verdict synchronously is not awaited, which saves a microtask per agent.
 * After a block, the inputs that caused it leave the turn window (see `refuseBlockingInputs`).
 */
export function screenTurn(
  services: TurnServices,
  agent: AgentState,
  input: TurnInput,
  proposal: TaskProposal,
): TurnScreen | Promise<TurnScreen> {
  const { tick } = input;
  const targets: ScreenTarget[] = buildTurnTargets(agent.window, proposal);
  const context: SafetyContext = {
    agentId: agent.id,
    tick,
    declaration: agent.declaration,
    previousViolationLayer: agent.violationLayer,
    heads: input.heads,
  };
  const channel = services.safetyOf(agent);
  const failClosed = (error: unknown): SafetyVerdict => {
    const message = errorMessage(error);
    services.logger.error('safety channel failed; turn blocked', {
      agentId: agent.id,
      tick,
      error: message,
    });
    return failClosedVerdict(agent.id, tick, targets, `safety channel failed: ${message}`);
  };
  const finish = (verdict: SafetyVerdict): TurnScreen | Promise<TurnScreen> => {
    agent.window.markScreened(verdict.screenedInputs);
    if (!verdict.blocked) return { verdict, refusedInputs: [] };
    const blocked = { agent, channel, context, targets, verdict, logger: services.logger };
    return refuseBlockingInputs(blocked).then((refusedInputs) => ({ verdict, refusedInputs }));
  };

  let result: SafetyVerdict | Promise<SafetyVerdict>;
  try {
    result = channel.screen({ agentId: agent.id, tick, targets, context });
  } catch (error) {
    return finish(failClosed(error));
  }
  if (result instanceof Promise)
    return result.then(finish, (error: unknown) => finish(failClosed(error)));
  return finish(result);
}
