import { errorMessage, GaltError, hashedNgramFeatures, type Logger } from '@galt/core';
import type { WorldEvent } from '@galt/protocol';
import type { AgentState } from './agent-state.js';
import { emitGoalChanges } from './agent-turn.js';
import type { PendingEvent } from './event-log.js';
import {
  checkHeadOutputs,
  type DecisionModel,
  type HeadOutputs,
  headRow,
} from './model/decision-model.js';
import { encodeOutputs } from './model/recorded-outputs.js';
import { eventText, isTurnInput } from './observation.js';
import type { TickReport } from './runtime-types.js';
import { SparseRowBuilder } from './sparse-rows.js';

/** An agent that decides this tick, with what it observed. */
export interface DecidingAgent {
  agent: AgentState;
  observations: WorldEvent[];
  /** Observation texts joined by newlines; the model's features are built from it. */
  text: string;
}

/**
 * The per-tick batch: delivers world events to agents, builds one feature matrix for every
 * deciding agent and runs the model once. The feature buffer is reused across ticks.
 */
export class TickBatch {
  readonly #model: DecisionModel;
  readonly #logger: Logger;
  /** The model's heads and their sizes, read once instead of once per agent row. */
  readonly #heads: readonly [string, number][];
  #features = new Float32Array(0);
  /** Row of the first agent with each text this tick; cleared and reused every tick. */
  readonly #rowOfText = new Map<string, number>();
  /** Made on the first tick of a model that takes sparse rows. */
  #sparseRows: SparseRowBuilder | null = null;

  constructor(model: DecisionModel, logger: Logger) {
    this.#model = model;
    this.#logger = logger;
    this.#heads = Object.entries(model.heads);
  }

  /**
   * Delivers events to unpaused agents, pushes conversational inputs into their turn windows and
   * evaluates their goals. Agents with observations or active goals decide this tick.
   */
  deliver(
    tick: number,
    worldEvents: readonly WorldEvent[],
    agents: readonly AgentState[],
    events: PendingEvent[],
  ): DecidingAgent[] {
    const routes = routeEvents(worldEvents);
    const deciding: DecidingAgent[] = [];
    for (const agent of agents) {
      if (agent.paused) continue;
      const indexes = routes.indexesFor(agent.id, agent.declaration.zone);
      const observations: WorldEvent[] = new Array(indexes.length);
      let text = '';
      for (let position = 0; position < indexes.length; position += 1) {
        const index = indexes[position] ?? 0;
        const event = worldEvents[index]!;
        const inputText = routes.texts[index] ?? '';
        observations[position] = event;
        text = position === 0 ? inputText : `${text}\n${inputText}`;
        if (isTurnInput(event))
          agent.window.push({ id: `${tick}:${index}`, text: inputText, event });
      }
      if (agent.declaration.goals.length > 0) evaluateGoals(agent, tick, observations, events);
      if (observations.length > 0 || agent.goals.hasActive()) {
        deciding.push({ agent, observations, text });
      }
    }
    return deciding;
  }

  /**
   * Runs the model once on every deciding agent's features. Returns null after logging when the
   * model fails or returns outputs of the wrong shape; the tick then makes no decisions.
   */
  async infer(
    deciding: readonly DecidingAgent[],
    tick: number,
    record: boolean,
    events: PendingEvent[],
    report: TickReport,
  ): Promise<HeadOutputs | null> {
    if (deciding.length === 0) return {};
    let outputs: HeadOutputs;
    try {
      outputs = await this.#run(deciding);
    } catch (error) {
      const code = error instanceof GaltError ? error.code : 'internal';
      return this.#fail(tick, report, code, `model call failed: ${errorMessage(error)}`);
    }
    const problem = checkHeadOutputs(outputs, this.#model.heads, deciding.length);
    if (problem !== null)
      return this.#fail(tick, report, 'model_mismatch', `model output is invalid: ${problem}`);
    if (record) {
      events.push({
        tick,
        agentId: null,
        kind: 'model_outputs',
        payload: {
          modelOutputs: encodeOutputs(outputs),
          batch: deciding.length,
          agents: deciding.map((entry) => entry.agent.id),
        },
      });
    }
    return outputs;
  }

  /** Returns one agent's logits per head, as views into the batch output. */
  rowHeads(outputs: HeadOutputs, row: number): Record<string, Float32Array> {
    const heads: Record<string, Float32Array> = {};
    for (const [head, size] of this.#heads) heads[head] = headRow(outputs, head, size, row);
    return heads;
  }

  /** Calls the model with sparse rows when it takes them, and with dense rows otherwise. */
  #run(deciding: readonly DecidingAgent[]): Promise<HeadOutputs> {
    const model = this.#model;
    if (model.inferSparse === undefined)
      return model.infer(this.#buildFeatures(deciding), deciding.length);
    this.#sparseRows ??= new SparseRowBuilder(model.featureDimension);
    const rows = this.#sparseRows.build(deciding.map((entry) => entry.text));
    return model.inferSparse(rows, deciding.length);
  }

  /**
   * Fills one feature row per deciding agent. Rows with the same text (a zone-wide utterance heard
   * by many agents) are hashed once and copied.
   */
  #buildFeatures(deciding: readonly DecidingAgent[]): Float32Array {
    const dimension = this.#model.featureDimension;
    const length = deciding.length * dimension;
    if (this.#features.length < length) this.#features = new Float32Array(length);
    const features = this.#features;
    const rowOfText = this.#rowOfText;
    rowOfText.clear();
    deciding.forEach((entry, row) => {
      const start = row * dimension;
      const earlier = rowOfText.get(entry.text);
      if (earlier === undefined) {
        hashedNgramFeatures(entry.text, dimension, features.subarray(start, start + dimension));
        rowOfText.set(entry.text, row);
      } else {
        features.copyWithin(start, earlier * dimension, (earlier + 1) * dimension);
      }
    });
    rowOfText.clear();
    return features.subarray(0, length);
  }

  #fail(tick: number, report: TickReport, code: string, message: string): null {
    this.#logger.error('tick made no decisions', { tick, code, error: message });
    report.errors.push({ agentId: null, code, message });
    return null;
  }
}

function evaluateGoals(
  agent: AgentState,
  tick: number,
  observations: readonly WorldEvent[],
  events: PendingEvent[],
): void {
  const seen = observations.map((event) => ({ kind: event.kind, text: eventText(event) }));
  const changes = agent.goals.evaluate({ tick, observations: seen });
  emitGoalChanges(changes, (kind, payload) => {
    events.push({ tick, agentId: agent.id, kind, payload });
  });
}

/**
 * World events of one tick indexed by who receives them, so delivery is linear in events. An
 * agent receives events addressed to it, zone-wide events in its zone (every zone's when it has
 * none) and time ticks, in the order they were injected.
 */
interface EventRoutes {
  texts: string[];
  indexesFor(agentId: string, zone: string | undefined): number[];
}

function routeEvents(worldEvents: readonly WorldEvent[]): EventRoutes {
  const addressed = new Map<string, number[]>();
  const byZone = new Map<string, number[]>();
  const everyone: number[] = [];
  const zoneWide: number[] = [];
  worldEvents.forEach((event, index) => {
    if (event.kind === 'time_tick') everyone.push(index);
    else if ('agentId' in event && event.agentId !== undefined)
      pushTo(addressed, event.agentId, index);
    else if ('zone' in event) {
      pushTo(byZone, event.zone, index);
      zoneWide.push(index);
    }
  });
  return {
    texts: worldEvents.map(eventText),
    indexesFor(agentId, zone) {
      const own = addressed.get(agentId) ?? [];
      const local = zone === undefined ? zoneWide : (byZone.get(zone) ?? []);
      if (everyone.length === 0 && local.length === 0) return own;
      return [...own, ...local, ...everyone].sort((a, b) => a - b);
    },
  };
}

function pushTo(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [index]);
  else list.push(index);
}
