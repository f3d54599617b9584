import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { canonicalJson, errorMessage, GaltError, sha256Hex } from '@galt/core';
import {
  type ModelManifest,
  ModelManifestSchema,
  parseJsonWith,
  SCHEMA_VERSION,
  type TensorInfo,
} from '@galt/protocol';
import { readModelSignature } from '../encoding/decode-model.js';

/**
 * Remedy for a missing or mismatched manifest. Rebuilding is the last step, because
 * `galt train` writes over the shipped model that earlier recordings were made with.
 */
const REBUILD =
  'check the manifest path; restore the model file and manifest from version control, or ' +
  'build a new pair with `galt train --out DIR` (recordings made with the old model then no ' +
  'longer replay)';

/** Fields of a manifest that `writeManifestedModel` cannot read from the model bytes. */
export interface ManifestFields {
  version: string;
  /** SHA-256 over the training data the model was built from. */
  dataDigest: string;
  metadata?: Record<string, unknown>;
}

function mismatch(file: string, problem: string): GaltError {
  return new GaltError('model_mismatch', `${file}: ${problem}`, { remedy: REBUILD });
}

function sameTensors(
  expected: readonly TensorInfo[],
  actual: readonly TensorInfo[],
): string | null {
  const describe = (list: readonly TensorInfo[]) =>
    list.map((info) => `${info.name}:${info.type}[${info.shape.join(',')}]`).join(' ');
  return describe(expected) === describe(actual)
    ? null
    : `${describe(actual)} (manifest: ${describe(expected)})`;
}

/**
 * Loads a model through its manifest: the manifest is validated, and the file's SHA-256, IR
 * version, opset, inputs and outputs must match it, or a `model_mismatch` GaltError names the file.
 */
export function loadManifestedModel(manifestPath: string): {
  manifest: ModelManifest;
  bytes: Uint8Array;
} {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    throw new GaltError(
      'not_found',
      `manifest ${manifestPath} could not be read: ${errorMessage(error)}`,
      {
        remedy: REBUILD,
      },
    );
  }
  const parsed = parseJsonWith(ModelManifestSchema, text);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    const where =
      first === undefined ? '' : ` at ${first.path.join('.') || '(root)'}: ${first.message}`;
    throw new GaltError('model_mismatch', `manifest ${manifestPath} is invalid${where}`, {
      remedy: REBUILD,
      issues: parsed.issues,
    });
  }
  const manifest = parsed.value;
  const modelPath = join(dirname(manifestPath), manifest.file);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(modelPath));
  } catch (error) {
    throw mismatch(modelPath, `model file could not be read: ${errorMessage(error)}`);
  }
  checkAgainstManifest(modelPath, bytes, manifest);
  return { manifest, bytes };
}

function checkAgainstManifest(modelPath: string, bytes: Uint8Array, manifest: ModelManifest): void {
  const digest = sha256Hex(bytes);
  if (digest !== manifest.sha256) {
    throw mismatch(modelPath, `SHA-256 is ${digest}, the manifest expects ${manifest.sha256}`);
  }
  let signature: ReturnType<typeof readModelSignature>;
  try {
    signature = readModelSignature(bytes);
  } catch (error) {
    throw mismatch(modelPath, `not a readable ONNX model: ${errorMessage(error)}`);
  }
  if (signature.irVersion !== manifest.irVersion) {
    throw mismatch(
      modelPath,
      `IR version is ${signature.irVersion}, the manifest expects ${manifest.irVersion}`,
    );
  }
  if (signature.opset !== manifest.opset) {
    throw mismatch(
      modelPath,
      `opset is ${signature.opset}, the manifest expects ${manifest.opset}`,
    );
  }
  const inputs = sameTensors(manifest.inputs, signature.inputs);
  if (inputs !== null) throw mismatch(modelPath, `inputs differ from the manifest: ${inputs}`);
  const outputs = sameTensors(manifest.outputs, signature.outputs);
  if (outputs !== null) throw mismatch(modelPath, `outputs differ from the manifest: ${outputs}`);
}

/**
 * Writes `<name>.onnx` and `<name>.manifest.json` into `directory`. IR version, opset, inputs and
 * outputs are read from the bytes, so the manifest describes the file next to it.
 */
export function writeManifestedModel(
  directory: string,
  name: string,
  bytes: Uint8Array,
  fields: ManifestFields,
): { manifestPath: string; modelPath: string; manifest: ModelManifest } {
  if (basename(name) !== name || name.length === 0) {
    throw new GaltError(
      'invalid_input',
      `model name ${JSON.stringify(name)} must be a plain file name`,
    );
  }
  const signature = readModelSignature(bytes);
  const candidate = {
    schemaVersion: SCHEMA_VERSION,
    name,
    version: fields.version,
    file: `${name}.onnx`,
    sha256: sha256Hex(bytes),
    opset: signature.opset,
    irVersion: signature.irVersion,
    inputs: signature.inputs,
    outputs: signature.outputs,
    dataDigest: fields.dataDigest,
    metadata: fields.metadata ?? {},
  };
  const parsed = ModelManifestSchema.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new GaltError(
      'invalid_input',
      `manifest for ${name} is invalid at ${first?.path.join('.')}: ${first?.message}`,
    );
  }
  mkdirSync(directory, { recursive: true });
  const modelPath = join(directory, parsed.data.file);
  const manifestPath = join(directory, `${name}.manifest.json`);
  writeFileSync(modelPath, bytes);
  writeFileSync(
    manifestPath,
    `${JSON.stringify(JSON.parse(canonicalJson(parsed.data)), null, 2)}\n`,
  );
  return { manifestPath, modelPath, manifest: parsed.data };
}
