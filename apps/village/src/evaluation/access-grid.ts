import { type AccessDecision, decideAccess } from '@galt/core';
import {
  layerFromId,
  layerId,
  SAFETY_LAYERS,
  type SafetyLayer,
  type ViolationLayer,
} from '@galt/protocol';
import type { CurriculumMemoryRow } from '../curriculum/load-curriculum.js';
import { type ContrastPacket, PACKET_CASES, type PacketCase } from '../curriculum/schemas.js';
import { memoryRowText } from '../model/examples.js';

/** The layer ids the curriculum gives one domain: its memory layer and a violation per case. */
export interface DomainLayers {
  memoryLayer: SafetyLayer;
  violation: Partial<Record<PacketCase, ViolationLayer>>;
}

/** One text of a packet, with the layers its packet's domain carries. */
export interface GridText {
  packetId: string;
  domain: string;
  packetCase: PacketCase;
  /** Model input: the case text and the packet's conditions, with domain names masked. */
  text: string;
  memoryLayer: SafetyLayer;
  violationLayer: ViolationLayer;
}

/** A memory trace (a positive case) facing an active violation (any case of any packet). */
export interface AccessPair {
  memory: GridText;
  violation: GridText;
  target: AccessDecision;
}

/** Accuracy of one gate on pairs; the two directions are scored on their own pairs. */
export interface GateScore {
  pairs: number;
  accuracy: number | null;
  /** Pairs with a violation at or below the memory's layer: the memory must be quarantined. */
  bottomUp: number | null;
  /** Pairs with a violation above the memory's layer: the memory must stay accessible. */
  topDown: number | null;
}

/** Reads each domain's layer ids from the packet rows of a split. */
export function domainLayerTable(rows: readonly CurriculumMemoryRow[]): Map<string, DomainLayers> {
  const table = new Map<string, DomainLayers>();
  for (const row of rows) {
    if (row.packet === null) continue;
    const entry = table.get(row.packet.domain) ?? {
      memoryLayer: layerFromId(row.packet.memory_layer_id) as SafetyLayer,
      violation: {},
    };
    entry.violation[row.packet.case] = layerFromId(row.packet.violation_layer_id);
    table.set(row.packet.domain, entry);
  }
  return table;
}

const CASE_TEXT: Record<PacketCase, (packet: ContrastPacket) => string> = {
  positive: (packet) => packet.positive_write_case,
  no_write: (packet) => packet.no_write_contrast,
  constraint: (packet) => packet.constraint_contrast,
};

/** Returns the three texts of a packet, or none when its domain has no layer ids. */
export function packetTexts(
  packet: ContrastPacket,
  table: ReadonlyMap<string, DomainLayers>,
): GridText[] {
  const layers = table.get(packet.domain);
  if (layers === undefined) return [];
  const context =
    `Concept: ${packet.concept}. Domain: ${packet.domain}. Write condition: ${packet.write_condition} ` +
    `No-write condition: ${packet.no_write_condition} Constraint risk: ${packet.constraint_risk}`;
  return PACKET_CASES.flatMap((packetCase) => {
    const violationLayer = layers.violation[packetCase];
    if (violationLayer === undefined) return [];
    const text = memoryRowText({ candidate_transition: CASE_TEXT[packetCase](packet), context });
    return [
      {
        packetId: packet.id,
        domain: packet.domain,
        packetCase,
        text,
        memoryLayer: layers.memoryLayer,
        violationLayer,
      },
    ];
  });
}

/** Pairs every positive case with every text as the active violation. */
export function buildPairs(texts: readonly GridText[]): AccessPair[] {
  const memories = texts.filter((text) => text.packetCase === 'positive');
  return memories.flatMap((memory) =>
    texts.map((violation) => ({
      memory,
      violation,
      target: decideAccess(memory.memoryLayer, violation.violationLayer),
    })),
  );
}

/** Classifies a pair as bottom-up invalidation, top-down containment, or neither (no violation). */
export function pairDirection(memoryLayer: SafetyLayer, violationLayer: ViolationLayer) {
  if (violationLayer === 'none') return 'none';
  return layerId(violationLayer) <= layerId(memoryLayer) ? 'bottomUp' : 'topDown';
}

/** Scores a gate's decisions against the pairs' targets. */
export function scoreGate(
  pairs: readonly {
    memoryLayer: SafetyLayer;
    violationLayer: ViolationLayer;
    target: AccessDecision;
  }[],
  decide: (index: number) => AccessDecision,
): GateScore {
  const tally = { all: [0, 0], bottomUp: [0, 0], topDown: [0, 0] };
  pairs.forEach((pair, index) => {
    const correct = decide(index) === pair.target ? 1 : 0;
    const direction = pairDirection(pair.memoryLayer, pair.violationLayer);
    for (const key of ['all', direction] as const) {
      if (key === 'none') continue;
      const entry = tally[key];
      entry[0] = (entry[0] ?? 0) + correct;
      entry[1] = (entry[1] ?? 0) + 1;
    }
  });
  const ratio = ([correct, total]: number[]) =>
    total === 0 ? null : (correct ?? 0) / (total ?? 1);
  return {
    pairs: pairs.length,
    accuracy: ratio(tally.all),
    bottomUp: ratio(tally.bottomUp),
    topDown: ratio(tally.topDown),
  };
}

/** Lists every (memory layer, violation layer) cell: 4 × 5 = 20, memory layer L1 included. */
export function fullLayerGrid() {
  const violations: ViolationLayer[] = [...SAFETY_LAYERS, 'none'];
  return SAFETY_LAYERS.flatMap((memoryLayer) =>
    violations.map((violationLayer) => ({
      memoryLayer,
      violationLayer,
      target: decideAccess(memoryLayer, violationLayer),
    })),
  );
}
