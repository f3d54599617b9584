import { GaltError } from '@galt/core';
import { z } from 'zod';

/** Feature values may be NaN here on purpose: a non-finite input refuses the write as data. */
const FeaturesSchema = z.custom<Float32Array | number[]>(
  (value) =>
    value instanceof Float32Array ||
    (Array.isArray(value) && value.every((element) => typeof element === 'number')),
  'expected a Float32Array or an array of numbers',
);

const ExampleSchema = z.object({
  features: FeaturesSchema,
  label: z.number().int().nonnegative(),
});

/** An admitted example the write should learn: features toward a label. */
export type ClassifierExample = z.infer<typeof ExampleSchema>;

const ProbeSchema = ExampleSchema.extend({
  id: z.string().min(1),
  /** Logit margin the labelled class must keep over every other class. */
  margin: z.number().optional(),
});

/** A hard row: after the write the probe's class must still lead by its margin. */
export type SafetyProbe = z.infer<typeof ProbeSchema>;

const RetentionSchema = ExampleSchema.extend({
  id: z.string().min(1),
  /** Cross-entropy increase the row may take over its anchor. */
  tolerance: z.number().nonnegative().optional(),
});

/** A soft row: its cross-entropy may not rise more than `tolerance` above its anchor. */
export type RetentionRow = z.infer<typeof RetentionSchema>;

/** The schema of a memory-write request. */
export const WriteRequestSchema = z.object({
  agentId: z.string().min(1),
  tick: z.number().int().nonnegative(),
  admitted: z.array(ExampleSchema),
  safetyProbes: z.array(ProbeSchema).default([]),
  /** Hard probes of earlier memories that must keep their class (ledger kind memory_probe). */
  memoryProbes: z.array(ProbeSchema).default([]),
  retention: z.array(RetentionSchema).default([]),
});

/** A memory write: admitted examples as the task term, probes and retention rows as constraints. */
export type WriteRequest = z.input<typeof WriteRequestSchema>;
type ParsedWriteRequest = z.output<typeof WriteRequestSchema>;

/** Validates a write request's structure against the model's input size and class count. */
export function parseWriteRequest(
  request: unknown,
  inputSize: number,
  classes: number,
): ParsedWriteRequest {
  const parsed = WriteRequestSchema.safeParse(request);
  if (!parsed.success) {
    throw new GaltError('invalid_input', 'invalid memory-write request', {
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.filter((key) => typeof key !== 'symbol') as (string | number)[],
        code: issue.code,
        message: issue.message,
      })),
      remedy: 'fix the request fields listed in issues',
    });
  }
  const value = parsed.data;
  const seen = new Set<string>();
  const groups = [
    ['admitted', value.admitted],
    ['safetyProbes', value.safetyProbes],
    ['memoryProbes', value.memoryProbes],
    ['retention', value.retention],
  ] as const;
  for (const [field, examples] of groups) {
    examples.forEach((example, index) => {
      if (example.features.length !== inputSize) {
        throw invalidExample(
          field,
          index,
          `has ${example.features.length} features, expected ${inputSize}`,
        );
      }
      if (example.label >= classes) {
        throw invalidExample(field, index, `has label ${example.label}, expected below ${classes}`);
      }
      if ('id' in example && typeof example.id === 'string') {
        if (seen.has(example.id)) {
          throw invalidExample(field, index, `repeats row id ${example.id}`);
        }
        seen.add(example.id);
      }
    });
  }
  return value;
}

function invalidExample(field: string, index: number, detail: string): GaltError {
  return new GaltError('invalid_input', `${field}[${index}] ${detail}`, {
    issues: [{ path: [field, index], code: 'invalid_example', message: detail }],
    remedy: 'send features of the model input size and labels within its classes',
  });
}

/** Packs examples' features into one row-major array. */
export function packFeatures(
  examples: readonly { features: ArrayLike<number> }[],
  inputSize: number,
): Float32Array {
  const packed = new Float32Array(examples.length * inputSize);
  examples.forEach((example, index) => {
    packed.set(example.features, index * inputSize);
  });
  return packed;
}
