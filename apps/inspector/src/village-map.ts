import type { AgentPanel, InspectorState } from './inspector-state.js';
import { escapeXml } from './svg-plot.js';

/** The village's zones in map order. The map adds other zones after them as events name them. */
export const KNOWN_ZONES = ['gate', 'square', 'market', 'homes'] as const;
/** Label of the cell for NPCs that no event has placed yet. */
export const UNPLACED_ZONE = 'unplaced';

const CELL_WIDTH = 300;
const CELL_HEIGHT = 150;
const COLUMNS = 2;
const NPC_RADIUS = 9;
/** Horizontal distance between NPCs in one zone row. Names alternate below and above. */
const NPC_SPACING = 64;
/** Vertical distance between rows of NPCs in one zone. */
const NPC_ROW_HEIGHT = 56;

function statusColour(agent: AgentPanel): string {
  if (agent.paused) return '#9e9e9e';
  if (agent.verdict?.blocked === true) return '#c62828';
  if (agent.violationLayer !== null && agent.violationLayer !== 'none') return '#ef6c00';
  return '#2e7d32';
}

function zonesOf(state: InspectorState): string[] {
  const zones: string[] = [...KNOWN_ZONES];
  for (const agent of state.agents.values()) {
    const zone = agent.zone ?? UNPLACED_ZONE;
    if (!zones.includes(zone)) zones.push(zone);
  }
  return zones;
}

/**
 * Renders the village as an SVG grid of zones with one circle per NPC, coloured by its state.
 * Green is acting and grey is paused. Orange means the last verdict found a violation that did
 * not block, and red means the last turn was blocked.
 */
export function renderVillageMap(state: InspectorState, selectedId: string | null): string {
  const zones = zonesOf(state);
  const rows = Math.ceil(zones.length / COLUMNS);
  const width = CELL_WIDTH * COLUMNS;
  const height = CELL_HEIGHT * rows;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="village-map" viewBox="0 0 ${width} ${height}" ` +
      `width="${width}" height="${height}">`,
  ];
  zones.forEach((zone, index) => {
    const x = (index % COLUMNS) * CELL_WIDTH;
    const y = Math.floor(index / COLUMNS) * CELL_HEIGHT;
    parts.push(
      `<g class="zone" data-zone="${escapeXml(zone)}">` +
        `<rect x="${x + 2}" y="${y + 2}" width="${CELL_WIDTH - 4}" height="${CELL_HEIGHT - 4}" ` +
        'fill="#eef3e8" stroke="#8d9b7a" rx="8"/>' +
        `<text x="${x + 10}" y="${y + 20}" font-weight="600">${escapeXml(zone)}</text>`,
    );
    const here = [...state.agents.values()].filter(
      (agent) => (agent.zone ?? UNPLACED_ZONE) === zone,
    );
    here.forEach((agent, slot) => {
      parts.push(npcMarker(agent, x, y, slot, selectedId));
    });
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

function npcMarker(
  agent: AgentPanel,
  zoneX: number,
  zoneY: number,
  slot: number,
  selectedId: string | null,
): string {
  const perRow = Math.floor((CELL_WIDTH - 20) / NPC_SPACING);
  const cx = zoneX + 40 + (slot % perRow) * NPC_SPACING;
  const cy = zoneY + 56 + Math.floor(slot / perRow) * NPC_ROW_HEIGHT;
  const labelY = slot % 2 === 0 ? cy + 22 : cy - 14;
  const id = escapeXml(agent.id);
  const stroke = agent.id === selectedId ? ' stroke="#000" stroke-width="3"' : '';
  const action = escapeXml(agent.lastActionKind ?? 'no action yet');
  return (
    `<g class="npc" data-agent="${id}">` +
    `<circle cx="${cx}" cy="${cy}" r="${NPC_RADIUS}" fill="${statusColour(agent)}"${stroke}>` +
    `<title>${id}: ${action}</title></circle>` +
    `<text x="${cx}" y="${labelY}" text-anchor="middle" font-size="10">${id}</text></g>`
  );
}
