import { errorMessage, type Logger, type ScreenTarget, WINDOW_TARGET_ID } from '@galt/core';
import { isHardLayer, type SafetyVerdict } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import type { SafetyChannel, SafetyContext } from './runtime-types.js';

/** The parts of a blocked turn that `refuseBlockingInputs` reads. */
export interface BlockedTurn {
  agent: AgentState;
  channel: SafetyChannel;
  context: SafetyContext;
  /** Targets of the screen that blocked the turn. */
  targets: readonly ScreenTarget[];
  verdict: SafetyVerdict;
  logger: Logger;
}

/**
 * Removes the inputs that caused a block from the agent's turn window and returns their ids.
 *
 * An input is refused when an L0 or L1 finding names it, and every input of the window is refused
 * when such a finding names the window text. A verdict keeps only the first finding per layer, so
 * after each removal the turn's remaining inputs and the remaining window text are screened again,
 * until no hard finding names an input or the window. Inputs that passed stay in the window, so a
 * request split across turns is still screened as a whole.
 */
export async function refuseBlockingInputs(turn: BlockedTurn): Promise<string[]> {
  const { agent } = turn;
  const turnInputIds = new Set(
    turn.targets.flatMap((target) => (target.kind === 'input' ? [target.id] : [])),
  );
  const refused: string[] = [];
  let targets = turn.targets;
  let verdict = turn.verdict;
  for (;;) {
    const found = blockingInputIds(verdict, targets, agent);
    if (found.length === 0) break;
    removeInputs(agent, found);
    refused.push(...found);
    if (agent.window.inputs().length === 0) break;

    targets = recheckTargets(agent, turnInputIds);
    try {
      verdict = await turn.channel.screen({
        agentId: agent.id,
        tick: turn.verdict.tick,
        targets,
        context: turn.context,
      });
    } catch (error) {
      turn.logger.error('safety channel failed while rechecking the turn window', {
        agentId: agent.id,
        tick: turn.verdict.tick,
        error: errorMessage(error),
      });
      break;
    }
  }
  return refused;
}

/** Ids of window inputs that an L0 or L1 finding of `verdict` names, directly or by the window. */
function blockingInputIds(
  verdict: SafetyVerdict,
  targets: readonly ScreenTarget[],
  agent: AgentState,
): string[] {
  const present = new Set(agent.window.inputs().map((input) => input.id));
  const kindById = new Map(targets.map((target) => [target.id, target.kind]));
  const ids = new Set<string>();
  for (const layer of verdict.layers) {
    if (layer.status !== 'violate' || !isHardLayer(layer.layer) || layer.target === undefined)
      continue;
    const kind = kindById.get(layer.target);
    if (kind === 'input' && present.has(layer.target)) ids.add(layer.target);
    if (kind === 'window') for (const id of present) ids.add(id);
  }
  return [...ids];
}

/** Builds the recheck targets: the turn's inputs still in the window, and the new window text. */
function recheckTargets(agent: AgentState, turnInputIds: ReadonlySet<string>): ScreenTarget[] {
  const targets: ScreenTarget[] = [];
  for (const input of agent.window.inputs()) {
    if (!turnInputIds.has(input.id)) continue;
    const target: ScreenTarget = { kind: 'input', id: input.id, text: input.text };
    if (input.event !== undefined) target.event = input.event;
    targets.push(target);
  }
  targets.push({ kind: 'window', id: WINDOW_TARGET_ID, text: agent.window.windowText() });
  return targets;
}

/**
 * Removes inputs from the window. Core's `TurnWindow` has no removal method, so the window is
 * rebuilt from its snapshot without them.
 */
function removeInputs(agent: AgentState, ids: readonly string[]): void {
  const removed = new Set(ids);
  const state = agent.window.snapshot();
  agent.window.restore({
    ...state,
    entries: state.entries.filter((entry) => !removed.has(entry.id)),
  });
}
