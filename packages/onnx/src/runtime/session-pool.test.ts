import { existsSync } from 'node:fs';
import { createMemoryLogger, SeededRandom } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../encoding/encode-model.js';
import { buildMlpClassifier, initializeParameters } from '../models/mlp.js';
import { ParameterLayout } from '../models/parameter-layout.js';
import { evaluateReference } from '../reference/evaluate.js';
import { float32Tensor, int64Tensor } from '../tensor.js';
import { SessionPool } from './session-pool.js';
import { resolveWorkerPath } from './worker-path.js';

const workerBuilt = existsSync(new URL('../../dist/runtime/session-worker.js', import.meta.url));

function model() {
  const graph = buildMlpClassifier({ layers: [4, 6, 3] });
  const random = new SeededRandom('pool-test');
  const parameters = initializeParameters(graph, random);
  const feeds = (row: number) => ({
    ...parameters,
    x: float32Tensor(
      [2, 4],
      Array.from({ length: 8 }, (_, i) => Math.sin(row + i)),
    ),
    labels: int64Tensor([2], [row % 3, (row + 1) % 3]),
  });
  return { graph, feeds };
}

describe('resolveWorkerPath', () => {
  it('asks for a build when the worker file is missing', () => {
    const fakeModule = new URL('file:///nowhere/onnx/src/runtime/session-pool.ts').href;
    expect(() => resolveWorkerPath(fakeModule)).toThrow(/run npm run build/);
    expect(() => resolveWorkerPath(fakeModule)).toThrow(
      /\/nowhere\/onnx\/dist\/runtime\/session-worker\.js/,
    );
  });
});

describe.runIf(workerBuilt)('SessionPool (needs npm run build)', () => {
  it('runs concurrent requests like the reference', async () => {
    const { graph, feeds } = model();
    const pool = await SessionPool.create(encodeModel(graph), { workers: 2 });
    try {
      const rows = [0, 1, 2, 3, 4, 5];
      const results = await Promise.all(rows.map((row) => pool.run(feeds(row))));
      results.forEach((outputs, row) => {
        const expected = evaluateReference(graph, feeds(row))['loss']?.data[0] as number;
        expect(outputs['loss']?.data[0]).toBeCloseTo(expected, 5);
      });
    } finally {
      await pool.close();
    }
  });

  it('merges shared feeds into each run', async () => {
    const { graph, feeds } = model();
    const { x, labels, ...parameters } = feeds(2);
    const pool = await SessionPool.create(encodeModel(graph), { workers: 2 });
    try {
      await pool.setSharedFeeds(parameters);
      const outputs = await Promise.all([pool.run({ x, labels }), pool.run({ x, labels })]);
      const expected = evaluateReference(graph, feeds(2))['loss']?.data[0] as number;
      for (const output of outputs) expect(output['loss']?.data[0]).toBeCloseTo(expected, 5);
    } finally {
      await pool.close();
    }
  });

  it('accepts shared feeds that view a larger buffer', async () => {
    const { graph, feeds } = model();
    const { x, labels, ...parameters } = feeds(3);
    const layout = new ParameterLayout(graph);
    const flat = new Float32Array(layout.size + 7);
    layout.pack(parameters, flat.subarray(7));
    const pool = await SessionPool.create(encodeModel(graph), { workers: 1 });
    try {
      await pool.setSharedFeeds(layout.unpack(flat.subarray(7)));
      const outputs = await pool.run({ x, labels });
      const expected = evaluateReference(graph, feeds(3))['loss']?.data[0] as number;
      expect(outputs['loss']?.data[0]).toBeCloseTo(expected, 5);
    } finally {
      await pool.close();
    }
  });

  it('rejects a run with a missing feed and keeps serving', async () => {
    const { graph, feeds } = model();
    const pool = await SessionPool.create(encodeModel(graph), { workers: 1 });
    try {
      const { x: _x, ...withoutX } = feeds(0);
      await expect(pool.run(withoutX)).rejects.toThrow(/feed x is missing/);
      const outputs = await pool.run(feeds(1));
      expect(outputs['logits']?.dims).toEqual([2, 3]);
    } finally {
      await pool.close();
    }
  });

  it('rejects runs after close', async () => {
    const { graph, feeds } = model();
    const pool = await SessionPool.create(encodeModel(graph), { workers: 1 });
    await pool.close();
    await expect(pool.run(feeds(0))).rejects.toThrow(/closed/);
  });

  it('falls back to CPU with a reason when CUDA cannot load', async () => {
    const { graph } = model();
    const logger = createMemoryLogger();
    const pool = await SessionPool.create(encodeModel(graph), {
      workers: 1,
      executionProvider: 'cuda',
      logger,
    });
    await pool.close();
    expect(pool.executionProvider).toBe('cpu');
    expect(pool.fallbackReason).not.toBeNull();
    expect(logger.entriesAt('warn')).toHaveLength(1);
  });

  it('rejects model bytes onnxruntime cannot load', async () => {
    await expect(
      SessionPool.create(new Uint8Array([1, 2, 3]), { workers: 1 }),
    ).rejects.toMatchObject({
      code: 'model_mismatch',
    });
  });
});
