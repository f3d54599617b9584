import type { StreamEvent } from '@galt/protocol';
import { type AgentPanel, agentPanel, type InspectorState } from './inspector-state.js';
import {
  asObject,
  type JsonObject,
  objectList,
  pushBounded,
  stringField,
  stringList,
} from './payload-fields.js';

/** Memory decisions and tool calls kept per NPC panel. */
export const MAX_CHANNEL_ITEMS = 12;
/** Maximum characters of a tool call's argument JSON that a panel keeps. Longer JSON is cut. */
const MAX_ARGUMENT_CHARS = 160;

/** Applies one event of an NPC's channels (everything but parametric writes) to its panel. */
export function applyChannelEvent(state: InspectorState, event: StreamEvent): void {
  if (event.kind === 'world_event') {
    placeFromWorldEvent(state, asObject(event.payload.event));
    return;
  }
  if (event.agentId === null) return;
  const panel = agentPanel(state, event.agentId);
  const payload = event.payload;
  switch (event.kind) {
    case 'proposal':
      applyProposal(panel, event.tick, asObject(payload.proposal));
      break;
    case 'safety_verdict':
      applyVerdict(panel, event.tick, asObject(payload.verdict));
      break;
    case 'adjudication':
      applyAdjudication(panel, event.tick, asObject(payload.adjudication));
      break;
    case 'tool_call':
      applyToolCall(panel, asObject(payload.call));
      break;
    case 'tool_result':
      applyToolResult(panel, asObject(payload.result));
      break;
    case 'action':
      applyAction(panel, asObject(payload.action));
      break;
    case 'agent_paused':
      panel.paused = true;
      break;
    case 'agent_resumed':
      panel.paused = false;
      break;
    default:
      break;
  }
}

function placeFromWorldEvent(state: InspectorState, event: JsonObject | null): void {
  const zone = stringField(event, 'zone');
  if (zone === null) return;
  const kind = stringField(event, 'kind');
  if (kind === 'entity_appeared' && stringField(event, 'entityKind') === 'npc') {
    const id = stringField(event, 'entityId');
    if (id !== null) agentPanel(state, id).zone = zone;
    return;
  }
  // An utterance or action addressed to an NPC happens where that NPC is.
  const agentId = stringField(event, 'agentId');
  if (agentId !== null) agentPanel(state, agentId).zone = zone;
}

function applyProposal(panel: AgentPanel, tick: number, proposal: JsonObject | null): void {
  const action = asObject(proposal?.action);
  panel.proposal = {
    tick,
    actionKind: stringField(action, 'kind') ?? 'unknown',
    utterance: stringField(action, 'utterance'),
  };
}

function applyVerdict(panel: AgentPanel, tick: number, verdict: JsonObject | null): void {
  const layers = objectList(verdict, 'layers').map((layer) => ({
    layer: stringField(layer, 'layer') ?? '?',
    status: stringField(layer, 'status') ?? '?',
    ruleId: stringField(layer, 'ruleId'),
    reason: stringField(layer, 'reason'),
  }));
  panel.verdict = { tick, blocked: verdict?.blocked === true, layers };
  const violationLayer = stringField(verdict, 'violationLayer');
  if (violationLayer !== null) panel.violationLayer = violationLayer;
}

function applyAdjudication(panel: AgentPanel, tick: number, record: JsonObject | null): void {
  if (record === null) return;
  const decision = {
    candidateId: stringField(record, 'candidateId') ?? '?',
    subject: stringField(record, 'subject') ?? '?',
    decision: stringField(record, 'decision') ?? '?',
    decidingLayer: stringField(record, 'decidingLayer') ?? '?',
    residual: stringField(record, 'residual') ?? 'none',
    reasons: stringList(record, 'reasons'),
    tick,
  };
  pushBounded(panel.candidates, decision, MAX_CHANNEL_ITEMS);
}

function applyToolCall(panel: AgentPanel, call: JsonObject | null): void {
  const callId = stringField(call, 'callId');
  if (callId === null) return;
  const argumentsJson = JSON.stringify(call?.arguments ?? null) ?? 'null';
  const view = {
    callId,
    tool: stringField(call, 'tool') ?? '?',
    argumentsJson:
      argumentsJson.length <= MAX_ARGUMENT_CHARS
        ? argumentsJson
        : `${argumentsJson.slice(0, MAX_ARGUMENT_CHARS - 1)}…`,
    ok: null,
    detail: '',
  };
  pushBounded(panel.toolCalls, view, MAX_CHANNEL_ITEMS);
}

function applyToolResult(panel: AgentPanel, result: JsonObject | null): void {
  const callId = stringField(result, 'callId');
  const view = panel.toolCalls.find((call) => call.callId === callId);
  if (view === undefined || result === null) return;
  view.ok = result.ok === true;
  const error = asObject(result.error);
  view.detail = view.ok
    ? (stringField(asObject(result.result), 'detail') ?? 'ok')
    : `${stringField(error, 'code') ?? 'error'}: ${stringField(error, 'message') ?? ''}`;
}

function applyAction(panel: AgentPanel, action: JsonObject | null): void {
  panel.lastActionKind = stringField(action, 'kind');
  panel.lastUtterance = stringField(action, 'utterance');
  const zone = stringField(action, 'zone');
  if (zone !== null) panel.zone = zone;
}
