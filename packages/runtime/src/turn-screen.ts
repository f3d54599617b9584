import {
  buildTurnTargets,
  errorMessage,
  SafetyStack,
  type ScreenFinding,
  type ScreenRequest,
  type ScreenTarget,
} from '@galt/core';
import type { SafetyVerdict, TaskProposal } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import type { TurnInput, TurnServices } from './agent-turn.js';
import { checkChannelVerdict } from './channel-verdict.js';
import { refuseBlockingInputs } from './input-refusal.js';
import type { SafetyChannel, SafetyContext } from './runtime-types.js';
import { withSafetyTimeout } from './safety-timeout.js';
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
  const screening: Screening = {
    services,
    agent,
    channel: services.safetyOf(agent),
    context,
    targets,
  };
  let result: ScreenOutcome | Promise<ScreenOutcome>;
  try {
    result = screenOnce(screening.channel, { agentId: agent.id, tick, targets, context });
  } catch (error) {
    return finish(screening, failClosed(screening, error));
  }
  if (result instanceof Promise) {
    return withSafetyTimeout(result, services.safetyTimeoutMs, agent.id).then(
      (outcome) => finish(screening, outcome),
      (error: unknown) => finish(screening, failClosed(screening, error)),
    );
  }
  return finish(screening, result);
}

/** Parts of one turn's screen that are needed after the channel returns its verdict. */
interface Screening {
  services: TurnServices;
  agent: AgentState;
  channel: SafetyChannel;
  context: SafetyContext;
  targets: ScreenTarget[];
}

/**
 * Checks a verdict that core did not make, marks the screened inputs and, after a block, refuses
 * the inputs that caused it. A verdict that fails the check blocks the turn (fails closed).
 */
function finish(screening: Screening, screened: ScreenOutcome): TurnScreen | Promise<TurnScreen> {
  const { agent, channel, context, targets, services } = screening;
  const outcome = screened.validated ? screened : checkedOutcome(screening, screened);
  const { verdict, validated } = outcome;
  agent.window.markScreened(verdict.screenedInputs);
  if (!verdict.blocked) return { verdict, refusedInputs: [], verdictValidated: validated };
  const blocked = {
    agent,
    channel,
    context,
    targets,
    verdict,
    logger: services.logger,
    timeoutMs: services.safetyTimeoutMs,
  };
  const refused = refuseBlockingInputs(
    outcome.findings === undefined ? blocked : { ...blocked, findings: outcome.findings },
  );
  const toScreen = (refusedInputs: string[]): TurnScreen => ({
    verdict,
    refusedInputs,
    verdictValidated: validated,
  });
  return refused instanceof Promise ? refused.then(toScreen) : toScreen(refused);
}

/** Returns the outcome with its verdict checked, or the fail-closed outcome when it is invalid. */
function checkedOutcome(screening: Screening, outcome: ScreenOutcome): ScreenOutcome {
  const { agent, context } = screening;
  try {
    const verdict = checkChannelVerdict(outcome.verdict, agent.id, context.tick, screening.targets);
    return { ...outcome, verdict, validated: true };
  } catch (error) {
    return failClosed(screening, error);
  }
}

/** Returns the runtime's own blocking verdict for a channel that throws, rejects or times out. */
function failClosed(screening: Screening, error: unknown): ScreenOutcome {
  const { agent, context, targets, services } = screening;
  const message = errorMessage(error);
  services.logger.error('safety channel failed; turn blocked', {
    agentId: agent.id,
    tick: context.tick,
    error: message,
  });
  const reason = `safety channel failed: ${message}`;
  return { verdict: failClosedVerdict(agent.id, context.tick, targets, reason), validated: true };
}

/** Calls `screenWithFindings` when the channel has it, and `screen` otherwise. */
function screenOnce(
  channel: SafetyChannel,
  request: ScreenRequest<SafetyContext>,
): ScreenOutcome | Promise<ScreenOutcome> {
  // NOTE: a subclass of SafetyStack that overrides `screen` or `screenWithFindings` is trusted too.
  const validated = channel instanceof SafetyStack;
  if (channel.screenWithFindings !== undefined) {
    const result = channel.screenWithFindings(request);
    if (!(result instanceof Promise)) return { ...result, validated };
    return result.then(({ verdict, findings }) => ({ verdict, findings, validated }));
  }
  const result = channel.screen(request);
  return result instanceof Promise
    ? result.then((verdict) => ({ verdict, validated }))
    : { verdict: result, validated };
}
