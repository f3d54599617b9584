import type { Curriculum, CurriculumMemoryRow } from '../curriculum/load-curriculum.js';
import type { GateTarget, RoutingRow } from '../curriculum/schemas.js';
import { type ClassHead, classIndex } from './heads.js';
import { maskDomainNames } from './mask-domain.js';

/** One training or evaluation row: masked text, a class per head (null = no target) and a gate. */
export interface LabelledExample {
  id: string;
  text: string;
  labels: Record<ClassHead, number | null>;
  gate: GateTarget | null;
  /** Source packet id, for rows built from a contrast packet. */
  packetId: string | null;
  domain: string | null;
}

/** Returns the text the model reads for a memory candidate row, with domain names masked. */
export function memoryRowText(row: Pick<CurriculumMemoryRow, 'context' | 'candidate_transition'>) {
  return maskDomainNames(`${row.candidate_transition} ${row.context}`);
}

/** Returns the text the model reads for a routing question, with domain names masked. */
export function routingRowText(row: Pick<RoutingRow, 'question' | 'context'>): string {
  return maskDomainNames(row.context.length > 0 ? `${row.question} ${row.context}` : row.question);
}

function emptyLabels(): Record<ClassHead, number | null> {
  return {
    action: null,
    knowledge: null,
    memory: null,
    residual: null,
    memory_layer: null,
    violation_layer: null,
  };
}

/** Builds the example of a routing row: action, knowledge state, residual, gate, memory. */
export function routingExample(row: RoutingRow): LabelledExample {
  const labels = emptyLabels();
  labels.action = classIndex('action', row.action);
  labels.knowledge = classIndex('knowledge', row.knowledge_state);
  labels.residual = classIndex('residual', row.residual_target);
  if (row.memory_target !== 'not_applicable') {
    labels.memory = classIndex('memory', row.memory_target);
  }
  const text = routingRowText(row);
  return { id: row.id, text, labels, gate: row.gate_target, packetId: null, domain: null };
}

/** Builds the example of a memory row; packet rows also carry both layer ids. */
export function memoryExample(row: CurriculumMemoryRow): LabelledExample {
  const labels = emptyLabels();
  labels.memory = classIndex('memory', row.targets.memory_target);
  labels.residual = classIndex('residual', row.targets.residual_target);
  if (row.packet !== null) {
    labels.memory_layer = row.packet.memory_layer_id;
    labels.violation_layer = row.packet.violation_layer_id;
  }
  return {
    id: row.id,
    text: memoryRowText(row),
    labels,
    gate: row.targets.gate_target,
    packetId: row.packet?.source_id ?? null,
    domain: row.packet?.domain ?? null,
  };
}

/** Returns every labelled example of a split: routing rows, then memory rows, in file order. */
export function curriculumExamples(curriculum: Curriculum): LabelledExample[] {
  return [...curriculum.routing.map(routingExample), ...curriculum.memory.map(memoryExample)];
}
