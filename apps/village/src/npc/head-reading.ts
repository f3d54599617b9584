import type { SafetyLayer, ViolationLayer } from '@galt/protocol';
import type {
  KnowledgeState,
  MemoryTarget,
  ResidualTarget,
  TeacherAction,
} from '../curriculum/schemas.js';
import { CLASS_HEADS, type ClassHead, GATE_OUTPUT, logitsName } from '../model/heads.js';
import type { LearnedFinding } from '../rules/rule-context.js';

/** The argmax class of every head for one agent's row, and the write gate. */
export interface HeadReading {
  action: TeacherAction;
  knowledge: KnowledgeState;
  memory: MemoryTarget;
  residual: ResidualTarget;
  memoryLayer: SafetyLayer;
  violationLayer: ViolationLayer;
  /** Third gate output: how strongly the model would write the trace, in [0, 1]. */
  writeGate: number;
}

function argmaxLabel(heads: Readonly<Record<string, Float32Array>>, head: ClassHead): string {
  const logits = heads[logitsName(head)];
  const classes = CLASS_HEADS[head] as readonly string[];
  let best = 0;
  for (let index = 1; index < classes.length; index += 1) {
    if ((logits?.[index] ?? -Infinity) > (logits?.[best] ?? -Infinity)) best = index;
  }
  return classes[best] as string;
}

/** Reads the runtime's per-agent head outputs. */
export function readHeads(heads: Readonly<Record<string, Float32Array>>): HeadReading {
  const gate = heads[GATE_OUTPUT];
  return {
    action: argmaxLabel(heads, 'action') as TeacherAction,
    knowledge: argmaxLabel(heads, 'knowledge') as KnowledgeState,
    memory: argmaxLabel(heads, 'memory') as MemoryTarget,
    residual: argmaxLabel(heads, 'residual') as ResidualTarget,
    memoryLayer: argmaxLabel(heads, 'memory_layer') as SafetyLayer,
    violationLayer: argmaxLabel(heads, 'violation_layer') as ViolationLayer,
    writeGate: Math.min(1, Math.max(0, gate?.[2] ?? 0)),
  };
}

/** Returns the reading in the form kept in a memory candidate's context. */
export function findingOf(reading: HeadReading): LearnedFinding {
  return {
    memory: reading.memory,
    residual: reading.residual,
    memoryLayer: reading.memoryLayer,
    violationLayer: reading.violationLayer,
    gate: reading.writeGate,
  };
}
