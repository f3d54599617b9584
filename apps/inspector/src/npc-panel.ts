import type { AgentPanel } from './inspector-state.js';
import { escapeXml } from './svg-plot.js';

/** Tool calls shown in the panel, newest first. The state keeps a few more. */
const TOOL_CALLS_SHOWN = 6;
/** Maximum characters of a tool result detail shown before it is cut with an ellipsis. */
const MAX_DETAIL_CHARS = 120;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function cell(text: string | null, className = ''): string {
  const classAttribute = className === '' ? '' : ` class="${escapeXml(className)}"`;
  return `<td${classAttribute}>${escapeXml(text ?? '')}</td>`;
}

function proposalHtml(agent: AgentPanel): string {
  const proposal = agent.proposal;
  if (proposal === null) return '<p>No task proposal yet.</p>';
  const utterance = proposal.utterance === null ? '' : ` “${escapeXml(proposal.utterance)}”`;
  return (
    `<p class="proposal">Tick ${proposal.tick}: <b>${escapeXml(proposal.actionKind)}</b>` +
    `${utterance}; acted: ${escapeXml(agent.lastActionKind ?? 'nothing yet')}</p>`
  );
}

function verdictHtml(agent: AgentPanel): string {
  const verdict = agent.verdict;
  if (verdict === null) return '<p>No safety verdict yet.</p>';
  const rows = verdict.layers
    .map(
      (layer) =>
        `<tr>${cell(layer.layer)}${cell(layer.status, layer.status)}${cell(layer.ruleId)}` +
        `${cell(layer.reason)}</tr>`,
    )
    .join('');
  const blocked = verdict.blocked ? ' <span class="bad">blocked</span>' : '';
  return (
    `<h3>Safety verdict, tick ${verdict.tick}${blocked}</h3>` +
    `<table class="verdict"><tr><th>Layer</th><th>Status</th><th>Rule</th><th>Reason</th></tr>` +
    `${rows}</table>`
  );
}

function candidatesHtml(agent: AgentPanel): string {
  if (agent.candidates.length === 0) return '<h3>Memory candidates</h3><p>None yet.</p>';
  const rows = agent.candidates
    .slice()
    .reverse()
    .map(
      (candidate) =>
        `<tr>${cell(String(candidate.tick))}${cell(candidate.subject)}` +
        `${cell(candidate.decision, candidate.decision)}${cell(candidate.decidingLayer)}` +
        `${cell(candidate.residual)}${cell(candidate.reasons.join('; '))}</tr>`,
    )
    .join('');
  return (
    '<h3>Memory candidates</h3><table class="candidates"><tr><th>Tick</th><th>Subject</th>' +
    `<th>Decision</th><th>Deciding layer</th><th>Residual</th><th>Reasons</th></tr>${rows}</table>`
  );
}

function toolCallsHtml(agent: AgentPanel): string {
  if (agent.toolCalls.length === 0) return '<h3>Tool calls</h3><p>None yet.</p>';
  const rows = agent.toolCalls
    .slice(-TOOL_CALLS_SHOWN)
    .reverse()
    .map((call) => {
      let result = 'pending';
      let className = '';
      if (call.ok === true) {
        result = 'valid';
        className = 'good';
      } else if (call.ok === false) {
        result = 'invalid';
        className = 'bad';
      }
      return (
        `<tr>${cell(call.tool)}${cell(call.argumentsJson)}${cell(result, className)}` +
        `${cell(shorten(call.detail, MAX_DETAIL_CHARS))}</tr>`
      );
    })
    .join('');
  return (
    '<h3>Tool calls</h3><table class="tools"><tr><th>Tool</th><th>Arguments</th>' +
    `<th>Result</th><th>Detail</th></tr>${rows}</table>`
  );
}

/** Renders one NPC's channels: last task proposal, safety verdict, memory and tool calls. */
export function renderNpcPanel(agent: AgentPanel | undefined): string {
  if (agent === undefined) return '<p>Select an NPC on the map.</p>';
  const state = agent.paused ? 'paused' : `violation layer ${agent.violationLayer ?? 'none'}`;
  return (
    `<div class="npc-panel" data-agent="${escapeXml(agent.id)}">` +
    `<p><b>${escapeXml(agent.id)}</b> in ${escapeXml(agent.zone ?? 'an unknown zone')}, ` +
    `${escapeXml(state)}</p>${proposalHtml(agent)}${verdictHtml(agent)}` +
    `${candidatesHtml(agent)}${toolCallsHtml(agent)}</div>`
  );
}
