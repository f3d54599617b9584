import {
  buildTurnTargets,
  errorMessage,
  SafetyStack,
  type ScreenFinding,
  type ScreenRequest,
  type ScreenResult,
  type ScreenTarget,
} from '@galt/core';
import type { SafetyVerdict, TaskProposal } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import type { TurnInput, TurnServices } from './agent-turn.js';
import { refuseBlockingInputs } from './input-refusal.js';
import type { SafetyChannel, SafetyContext } from './runtime-types.js';
import { failClosedVerdict } from './safety-verdicts.js';

/** A turn's verdict and the inputs refused because they caused its block. */
export interface TurnScreen {
  verdict: SafetyVerdict;
  refusedInputs: string[];
  /**
   * True when the verdict is known to match `SafetyVerdictSchema`: it came from core's
   * `SafetyStack` or is the runtime's own fail-closed verdict. Adjudication then skips validation.
   */
  verdictValidated: boolean;
}

/** Verdict of one screen, with every finding when the channel reports them. */
interface ScreenOutcome {
  verdict: SafetyVerdict;
  findings?: readonly ScreenFinding[];
  validated: boolean;
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
  const failClosed = (error: unknown): ScreenOutcome => {
    const message = errorMessage(error);
    services.logger.error('safety channel failed; turn blocked', {
      agentId: agent.id,
      tick,
      error: message,
    });
    const reason = `safety channel failed: ${message}`;
    return { verdict: failClosedVerdict(agent.id, tick, targets, reason), validated: true };
  };
  const finish = (outcome: ScreenOutcome): TurnScreen | Promise<TurnScreen> => {
    const { verdict, validated } = outcome;
    agent.window.markScreened(verdict.screenedInputs);
    if (!verdict.blocked) return { verdict, refusedInputs: [], verdictValidated: validated };
    const blocked = { agent, channel, context, targets, verdict, logger: services.logger };
    const refused = refuseBlockingInputs(
      outcome.findings === undefined ? blocked : { ...blocked, findings: outcome.findings },
    );
    const toScreen = (refusedInputs: string[]): TurnScreen => ({
      verdict,
      refusedInputs,
      verdictValidated: validated,
    });
    return refused instanceof Promise ? refused.then(toScreen) : toScreen(refused);
  };

  let result: ScreenOutcome | Promise<ScreenOutcome>;
  try {
    result = screenOnce(channel, { agentId: agent.id, tick, targets, context });
  } catch (error) {
    return finish(failClosed(error));
  }
  if (result instanceof Promise)
    return result.then(finish, (error: unknown) => finish(failClosed(error)));
  return finish(result);
}

/** Calls `screenWithFindings` when the channel has it, and `screen` otherwise. */
function screenOnce(
  channel: SafetyChannel,
  request: ScreenRequest<SafetyContext>,
): ScreenOutcome | Promise<ScreenOutcome> {
  // NOTE: a subclass of SafetyStack that overrides `screen` or `screenWithFindings` is trusted too.
  const validated = channel instanceof SafetyStack;
  if (channel.screenWithFindings !== undefined) {
    const toOutcome = ({ verdict, findings }: ScreenResult): ScreenOutcome => ({
      verdict,
      findings,
      validated,
    });
    const result = channel.screenWithFindings(request);
    return result instanceof Promise ? result.then(toOutcome) : toOutcome(result);
  }
  const toOutcome = (verdict: SafetyVerdict): ScreenOutcome => ({ verdict, validated });
  const result = channel.screen(request);
  return result instanceof Promise ? result.then(toOutcome) : toOutcome(result);
}
