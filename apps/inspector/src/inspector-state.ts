import type { StreamEvent } from '@galt/protocol';
import { applyChannelEvent } from './channel-events.js';
import {
  asObject,
  type JsonObject,
  numberField,
  objectList,
  pushBounded,
  stringField,
} from './payload-fields.js';

/** Constraint points kept per row. Older points scroll off the plot. */
export const MAX_POINTS_PER_ROW = 400;
/** Parametric write outcomes kept for the commit and rollback markers. */
export const MAX_WRITES_KEPT = 400;

/** The safety verdict of one layer for a turn. */
export interface LayerVerdict {
  layer: string;
  status: string;
  ruleId: string | null;
  reason: string | null;
}

/** A memory candidate and the decision the adjudicator took on it. */
export interface CandidateDecision {
  candidateId: string;
  subject: string;
  decision: string;
  decidingLayer: string;
  residual: string;
  reasons: string[];
  tick: number;
}

/** A tool call and, once it arrived, its validation result. */
export interface ToolCallView {
  callId: string;
  tool: string;
  argumentsJson: string;
  ok: boolean | null;
  detail: string;
}

/** Everything the inspector shows about one NPC. */
export interface AgentPanel {
  id: string;
  /** Zone from the latest event that placed the NPC, or null before any did. */
  zone: string | null;
  paused: boolean;
  violationLayer: string | null;
  lastActionKind: string | null;
  lastUtterance: string | null;
  proposal: { tick: number; actionKind: string; utterance: string | null } | null;
  verdict: { tick: number; blocked: boolean; layers: LayerVerdict[] } | null;
  candidates: CandidateDecision[];
  toolCalls: ToolCallView[];
}

/** One constraint row after a parametric write. `value` is C after the step, and C ≤ 0 holds. */
export interface ConstraintPoint {
  seq: number;
  tick: number;
  agentId: string;
  value: number;
  lambda: number;
  rho: number;
  hard: boolean;
}

/** A parametric write, committed or rolled back. */
export interface WriteOutcome {
  seq: number;
  tick: number;
  agentId: string;
  outcome: string;
}

/** World state that the inspector shows after applying the events up to `seq`. */
export interface InspectorState {
  runId: string | null;
  seq: number;
  tick: number;
  agents: Map<string, AgentPanel>;
  constraints: Map<string, ConstraintPoint[]>;
  writes: WriteOutcome[];
}

/** Creates the empty state that comes before the first event. */
export function createInspectorState(): InspectorState {
  return {
    runId: null,
    seq: 0,
    tick: 0,
    agents: new Map(),
    constraints: new Map(),
    writes: [],
  };
}

/** Returns the panel of an agent, creating an empty one on first sight. */
export function agentPanel(state: InspectorState, id: string): AgentPanel {
  let panel = state.agents.get(id);
  if (panel === undefined) {
    panel = {
      id,
      zone: null,
      paused: false,
      violationLayer: null,
      lastActionKind: null,
      lastUtterance: null,
      proposal: null,
      verdict: null,
      candidates: [],
      toolCalls: [],
    };
    state.agents.set(id, panel);
  }
  return panel;
}

/**
 * Applies a feed snapshot: the tick and, per agent, paused and violation layer. Zones are not
 * in the snapshot, so they come from later events.
 */
export function applySnapshot(state: InspectorState, seq: number, snapshot: JsonObject): void {
  state.seq = Math.max(state.seq, seq);
  state.tick = numberField(snapshot, 'tick') ?? state.tick;
  for (const agent of objectList(snapshot, 'agents')) {
    const id = stringField(agent, 'id');
    if (id === null) continue;
    const panel = agentPanel(state, id);
    panel.paused = agent.paused === true;
    panel.violationLayer = stringField(agent, 'violationLayer');
  }
}

/** Applies events in sequence order and skips events at or below the current `seq`. */
export function applyEvents(state: InspectorState, events: readonly StreamEvent[]): void {
  for (const event of events) {
    if (event.seq <= state.seq) continue;
    state.seq = event.seq;
    state.tick = Math.max(state.tick, event.tick);
    state.runId = event.runId;
    if (event.kind === 'parametric_write') applyParametricWrite(state, event);
    else applyChannelEvent(state, event);
  }
}

function applyParametricWrite(state: InspectorState, event: StreamEvent): void {
  const record = asObject(event.payload.record);
  const agentId = stringField(record, 'agentId') ?? event.agentId ?? 'unknown';
  const outcome = stringField(record, 'outcome') ?? 'unknown';
  pushBounded(
    state.writes,
    { seq: event.seq, tick: event.tick, agentId, outcome },
    MAX_WRITES_KEPT,
  );
  for (const row of objectList(record, 'rows')) {
    const rowId = stringField(row, 'rowId');
    const value = numberField(row, 'after');
    if (rowId === null || value === null) continue;
    let points = state.constraints.get(rowId);
    if (points === undefined) {
      points = [];
      state.constraints.set(rowId, points);
    }
    const point: ConstraintPoint = {
      seq: event.seq,
      tick: event.tick,
      agentId,
      value,
      lambda: numberField(row, 'lambda') ?? 0,
      rho: numberField(row, 'rho') ?? 0,
      hard: row.hard === true,
    };
    pushBounded(points, point, MAX_POINTS_PER_ROW);
  }
}
