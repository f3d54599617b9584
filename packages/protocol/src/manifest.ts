import { z } from 'zod';
import { Sha256HexSchema } from './memory.js';
import { SCHEMA_VERSION } from './version.js';

export const TensorInfoSchema = z.object({
  name: z.string().min(1),
  type: z.enum(['float32', 'float64', 'int64', 'int32', 'bool']),
  /** Dimensions; a string names a symbolic dimension such as `batch`. */
  shape: z.array(z.union([z.number().int().nonnegative(), z.string().min(1)])),
});
export type TensorInfo = z.infer<typeof TensorInfoSchema>;

/** Describes a shipped ONNX model file; checked against the file on load. */
export const ModelManifestSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  name: z.string().min(1),
  version: z.string().min(1),
  file: z.string().min(1),
  sha256: Sha256HexSchema,
  opset: z.number().int().positive(),
  irVersion: z.number().int().positive(),
  inputs: z.array(TensorInfoSchema).min(1),
  outputs: z.array(TensorInfoSchema).min(1),
  /** SHA-256 over the training data the model was built from. */
  dataDigest: Sha256HexSchema,
  /** Free-form build metadata: seed, trainer settings, validation metrics. */
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;
