import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeModel } from '../encoding/encode-model.js';
import { buildMlpClassifier } from '../models/mlp.js';
import { loadManifestedModel, writeManifestedModel } from './manifested-model.js';

const DATA_DIGEST = 'a'.repeat(64);
let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'galt-onnx-manifest-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeModel() {
  const bytes = encodeModel(buildMlpClassifier({ layers: [3, 2] }));
  return writeManifestedModel(directory, 'tiny', bytes, {
    version: '1.0.0',
    dataDigest: DATA_DIGEST,
  });
}

describe('manifested models', () => {
  it('round-trips bytes and manifest', () => {
    const written = writeModel();
    const loaded = loadManifestedModel(written.manifestPath);
    expect(loaded.bytes).toEqual(new Uint8Array(readFileSync(written.modelPath)));
    expect(loaded.manifest.inputs.map((input) => input.name)).toEqual(['x', 'labels', 'w0', 'b0']);
    expect(loaded.manifest.inputs[0]?.shape).toEqual(['batch', 3]);
    expect(loaded.manifest.opset).toBe(17);
    expect(loaded.manifest.irVersion).toBe(8);
  });

  it('rejects a changed model file', () => {
    const written = writeModel();
    const bytes = readFileSync(written.modelPath);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(written.modelPath, bytes);
    expect(() => loadManifestedModel(written.manifestPath)).toThrow(/tiny\.onnx: SHA-256/);
    expect(() => loadManifestedModel(written.manifestPath)).toThrow(
      expect.objectContaining({
        code: 'model_mismatch',
        remedy: expect.stringMatching(/galt train/),
      }),
    );
  });

  it('rejects a manifest whose inputs differ', () => {
    const written = writeModel();
    const manifest = JSON.parse(readFileSync(written.manifestPath, 'utf8'));
    manifest.inputs[0].shape = ['batch', 4];
    writeFileSync(written.manifestPath, JSON.stringify(manifest));
    expect(() => loadManifestedModel(written.manifestPath)).toThrow(
      /inputs differ from the manifest/,
    );
  });

  it('rejects an invalid manifest with the path of the problem', () => {
    const written = writeModel();
    const manifest = JSON.parse(readFileSync(written.manifestPath, 'utf8'));
    manifest.sha256 = 'not-a-digest';
    writeFileSync(written.manifestPath, JSON.stringify(manifest));
    expect(() => loadManifestedModel(written.manifestPath)).toThrow(/invalid at sha256/);
  });

  it('rejects broken manifest JSON', () => {
    const written = writeModel();
    writeFileSync(written.manifestPath, '{ not json');
    expect(() => loadManifestedModel(written.manifestPath)).toThrow(
      expect.objectContaining({ code: 'model_mismatch' }),
    );
  });

  it('rejects a model name with a folder', () => {
    const bytes = encodeModel(buildMlpClassifier({ layers: [3, 2] }));
    expect(() =>
      writeManifestedModel(directory, '../escape', bytes, {
        version: '1',
        dataDigest: DATA_DIGEST,
      }),
    ).toThrow(/plain file name/);
  });
});
