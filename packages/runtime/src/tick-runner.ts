import { errorMessage, GaltError } from '@galt/core';
import type { WorldEvent } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import {
  completeAgentTurn,
  type ScreenedTurn,
  screenAgentTurn,
  type TurnOutcome,
  type TurnServices,
} from './agent-turn.js';
import type { PendingEvent } from './event-log.js';
import type { TickReport } from './runtime-types.js';
import type { DecidingAgent, TickBatch } from './tick-batch.js';

/** Inputs of one tick. */
export interface TickParts {
  tick: number;
  /** World events queued since the last tick, in injection order. */
  pending: readonly WorldEvent[];
  agents: readonly AgentState[];
  batch: TickBatch;
  recordModelOutputs: boolean;
  services: TurnServices;
}

/**
 * Runs one tick and returns its events, not yet stored, with a report. Agents are screened
 * concurrently, then their turns complete one by one in agent order, so events, tool effects and
 * ledger records do not depend on the order in which asynchronous safety channels return verdicts.
 */
export async function runTick(
  parts: TickParts,
): Promise<{ events: PendingEvent[]; report: TickReport }> {
  const { tick, batch } = parts;
  const report: TickReport = {
    tick,
    decisions: 0,
    firstSeq: null,
    lastSeq: null,
    rejected: [],
    errors: [],
  };
  const events: PendingEvent[] = parts.pending.map((event) => ({
    tick,
    agentId: 'agentId' in event && event.agentId !== undefined ? event.agentId : null,
    kind: 'world_event',
    payload: { event },
  }));
  const deciding = batch.deliver(tick, parts.pending, parts.agents, events);

  const outputs = await batch.infer(deciding, tick, parts.recordModelOutputs, events, report);
  if (outputs !== null) {
    const screened = deciding.map((entry, row) =>
      screenTurn(parts.services, entry, tick, batch.rowHeads(outputs, row), report),
    );
    // With a synchronous channel and no blocked turn, nothing here is a promise and nothing waits.
    const settled = screened.some((turn) => turn instanceof Promise)
      ? await Promise.all(screened)
      : (screened as (ScreenedTurn | null)[]);
    for (const turn of settled) {
      if (turn === null) continue;
      const completed = completeTurn(parts.services, turn, report);
      const turnEvents = completed instanceof Promise ? await completed : completed;
      for (const event of turnEvents) events.push(event);
    }
    report.decisions = deciding.length;
  }

  const summary = {
    decisions: report.decisions,
    rejected: report.rejected.length,
    errors: report.errors.length,
  };
  events.push({ tick, agentId: null, kind: 'tick_completed', payload: summary });
  return { events, report };
}

/** Screens one agent's turn; a turn that throws is logged and reported, and the tick goes on. */
function screenTurn(
  services: TurnServices,
  entry: DecidingAgent,
  tick: number,
  heads: Record<string, Float32Array>,
  report: TickReport,
): ScreenedTurn | null | Promise<ScreenedTurn | null> {
  const { agent } = entry;
  const fail = (error: unknown): null => {
    reportFailure(services, report, agent.id, tick, error);
    return null;
  };
  try {
    const input = { tick, observations: entry.observations, observationText: entry.text, heads };
    const screened = screenAgentTurn(services, agent, input);
    return screened instanceof Promise ? screened.catch(fail) : screened;
  } catch (error) {
    return fail(error);
  }
}

/** Completes one screened turn; a turn that throws keeps the events it had and is reported. */
function completeTurn(
  services: TurnServices,
  turn: ScreenedTurn,
  report: TickReport,
): PendingEvent[] | Promise<PendingEvent[]> {
  const fail = (error: unknown): PendingEvent[] => {
    reportFailure(services, report, turn.agent.id, turn.tick, error);
    return turn.events;
  };
  const record = (outcome: TurnOutcome): PendingEvent[] => {
    if (outcome.rejected) report.rejected.push(turn.agent.id);
    for (const error of outcome.errors) report.errors.push({ agentId: turn.agent.id, ...error });
    return outcome.events;
  };
  try {
    const completed = completeAgentTurn(services, turn);
    return completed instanceof Promise ? completed.then(record, fail) : record(completed);
  } catch (error) {
    return fail(error);
  }
}

function reportFailure(
  services: TurnServices,
  report: TickReport,
  agentId: string,
  tick: number,
  error: unknown,
): void {
  const code = error instanceof GaltError ? error.code : 'internal';
  const message = errorMessage(error);
  services.logger.error('agent turn failed', { agentId, tick, code, error: message });
  report.errors.push({ agentId, code, message });
}
