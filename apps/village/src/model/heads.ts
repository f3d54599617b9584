import {
  KNOWLEDGE_STATES,
  MEMORY_TARGETS,
  RESIDUAL_TARGETS,
  TEACHER_ACTIONS,
} from '../curriculum/schemas.js';

/** Memory-layer classes: the layer a memory rests on, L0 to L3. */
export const MEMORY_LAYER_CLASSES = ['L0', 'L1', 'L2', 'L3'] as const;
/** Violation-layer classes: L0 to L3, and `none` (curriculum id 4). */
export const VIOLATION_LAYER_CLASSES = ['L0', 'L1', 'L2', 'L3', 'none'] as const;

/**
 * The classification heads of the typed-channel model, in output order. Each head is a softmax
 * over its classes; its logits output is named `<name>_logits`.
 */
export const CLASS_HEADS = {
  action: TEACHER_ACTIONS,
  knowledge: KNOWLEDGE_STATES,
  memory: MEMORY_TARGETS,
  residual: RESIDUAL_TARGETS,
  memory_layer: MEMORY_LAYER_CLASSES,
  violation_layer: VIOLATION_LAYER_CLASSES,
} as const;

export type ClassHead = keyof typeof CLASS_HEADS;
export const CLASS_HEAD_NAMES = Object.keys(CLASS_HEADS) as ClassHead[];

/** Width of the gate head: three sigmoid outputs, as in the curriculum's `gate_target`. */
export const GATE_WIDTH = 3;

/** Name of the model's input tensor: float32 [batch, featureDimension]. */
export const FEATURES_INPUT = 'features';
/** Name of the gate output: float32 [batch, 3], already passed through a sigmoid. */
export const GATE_OUTPUT = 'gate';

/** Returns the logits output name of a head. */
export function logitsName(head: ClassHead): string {
  return `${head}_logits`;
}

/** Returns the class index of `label` in `head`, or throws when the label is not a class. */
export function classIndex(head: ClassHead, label: string): number {
  const index = (CLASS_HEADS[head] as readonly string[]).indexOf(label);
  if (index < 0) throw new RangeError(`"${label}" is not a class of head ${head}`);
  return index;
}
