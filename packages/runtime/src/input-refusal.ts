import {
  errorMessage,
  type Logger,
  type ScreenFinding,
  type ScreenResult,
  type ScreenTarget,
  WINDOW_TARGET_ID,
} from '@galt/core';
import { isHardLayer, type SafetyVerdict } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import { screenWithin } from './channel-verdict.js';
import type { SafetyChannel, SafetyContext } from './runtime-types.js';
import { withSafetyTimeout } from './safety-timeout.js';

/** The parts of a blocked turn that `refuseBlockingInputs` reads. */
export interface BlockedTurn {
  agent: AgentState;
  channel: SafetyChannel;
  context: SafetyContext;
  /** Targets of the screen that blocked the turn. */
  targets: readonly ScreenTarget[];
  verdict: SafetyVerdict;
  /** Every finding of that screen, when the channel reported them (`screenWithFindings`). */
  findings?: readonly ScreenFinding[];
  logger: Logger;
  /** Milliseconds the channel may take for each recheck before the recheck counts as failed. */
  timeoutMs: number;
}

/**
 * Removes the inputs that caused a block from the agent's turn window and returns their ids in
 * window order.
 *
 * An input is refused when an L0 or L1 finding names it, and every input of the window is refused
 * when such a finding names the window text. With every finding of the screen at hand, the named
 * inputs leave first, and the remaining window text is screened once more to tell whether it
 * still violates without them. Inputs that passed stay in the window, so a request split across
 * turns is still screened as a whole. Channels without findings go through `refuseByRescreening`.
 * A recheck that fails, times out or returns something malformed refuses every remaining input,
 * because the block cannot then be narrowed down (fails closed).
 */
export function refuseBlockingInputs(turn: BlockedTurn): string[] | Promise<string[]> {
  if (turn.findings === undefined || turn.channel.screenWithFindings === undefined) {
    return refuseByRescreening(turn);
  }
  const { agent } = turn;
  const order = windowOrder(agent);
  const { inputIds, namesWindow } = hardTargets(turn.findings, order);
  if (!namesWindow) return agent.window.remove(inputIds);
  if (inputIds.size === 0) return agent.window.remove(order.keys());

  const refused = agent.window.remove(inputIds);
  if (agent.window.inputs().length === 0) return refused;
  const finish = (result: ScreenResult | null): string[] => {
    if (result === null || !Array.isArray(result.findings)) {
      refused.push(...agent.window.remove(order.keys()));
    } else if (hardTargets(result.findings, order).namesWindow) {
      refused.push(...agent.window.remove(order.keys()));
    }
    return refused.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  };
  const result = recheckWindow(turn, turn.channel.screenWithFindings.bind(turn.channel));
  return result instanceof Promise ? result.then(finish) : finish(result);
}

/** Position of each input in the agent's turn window. */
function windowOrder(agent: AgentState): Map<string, number> {
  const order = new Map<string, number>();
  for (const [index, input] of agent.window.inputs().entries()) order.set(input.id, index);
  return order;
}

/** Window inputs that an L0 or L1 finding names, and whether one names the window text. */
function hardTargets(
  findings: readonly ScreenFinding[],
  present: ReadonlyMap<string, number>,
): { inputIds: Set<string>; namesWindow: boolean } {
  const inputIds = new Set<string>();
  let namesWindow = false;
  for (const finding of findings) {
    if (finding.status !== 'violate' || !isHardLayer(finding.layer)) continue;
    if (finding.targetKind === 'window') namesWindow = true;
    if (finding.targetKind === 'input' && present.has(finding.target)) inputIds.add(finding.target);
  }
  return { inputIds, namesWindow };
}

/**
 * Screens the remaining window text alone; returns null after logging when the channel fails or
 * takes longer than the turn's timeout.
 */
function recheckWindow(
  turn: BlockedTurn,
  screen: NonNullable<SafetyChannel['screenWithFindings']>,
): ScreenResult | null | Promise<ScreenResult | null> {
  const fail = (error: unknown): null => {
    logRecheckFailure(turn, error);
    return null;
  };
  const target: ScreenTarget = {
    kind: 'window',
    id: WINDOW_TARGET_ID,
    text: turn.agent.window.windowText(),
  };
  const request = {
    agentId: turn.agent.id,
    tick: turn.verdict.tick,
    targets: [target],
    context: turn.context,
  };
  try {
    const result = screen(request);
    return result instanceof Promise
      ? withSafetyTimeout(result, turn.timeoutMs, turn.agent.id).catch(fail)
      : result;
  } catch (error) {
    return fail(error);
  }
}

function logRecheckFailure(turn: BlockedTurn, error: unknown): void {
  turn.logger.error('safety channel failed while rechecking the turn window', {
    agentId: turn.agent.id,
    tick: turn.verdict.tick,
    error: errorMessage(error),
  });
}

/**
 * Refuses inputs for a channel whose verdict keeps only the first finding per layer: after each
 * removal, the turn's remaining inputs and the remaining window text are screened again, until no
 * hard finding names an input or the window.
 */
async function refuseByRescreening(turn: BlockedTurn): Promise<string[]> {
  const { agent } = turn;
  const order = windowOrder(agent);
  const turnInputIds = new Set(
    turn.targets.flatMap((target) => (target.kind === 'input' ? [target.id] : [])),
  );
  const refused: string[] = [];
  let targets = turn.targets;
  let verdict = turn.verdict;
  for (;;) {
    const found = blockingInputIds(verdict, targets, agent);
    if (found.length === 0) break;
    refused.push(...agent.window.remove(found));
    if (agent.window.inputs().length === 0) break;

    targets = recheckTargets(agent, turnInputIds);
    try {
      const request = {
        agentId: agent.id,
        tick: turn.verdict.tick,
        targets,
        context: turn.context,
      };
      verdict = await screenWithin(turn.channel, request, turn.timeoutMs);
    } catch (error) {
      logRecheckFailure(turn, error);
      refused.push(...agent.window.remove(order.keys()));
      break;
    }
  }
  return refused.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
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
