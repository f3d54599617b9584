import { hashedNgramFeatures } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { argmax, argmaxAccuracy, runCausalProbes } from './causal-probes.js';
import { LinearDecisionModel } from './model/linear-decision-model.js';

const DIMENSION = 32;
const BATCH = 64;

async function probeSetup() {
  const model = LinearDecisionModel.random(DIMENSION, { task: 4, safety: 2 }, 'probe-model');
  const features = new Float32Array(BATCH * DIMENSION);
  for (let row = 0; row < BATCH; row += 1) {
    hashedNgramFeatures(
      `visitor${row} wants ware${(row * 7) % 13} at stall${row % 5}`,
      DIMENSION,
      features.subarray(row * DIMENSION, (row + 1) * DIMENSION),
    );
  }
  const outputs = await model.infer(features, BATCH);
  const labelsOf = (head: string, size: number) =>
    Array.from({ length: BATCH }, (_, row) =>
      argmax(outputs[head] ?? new Float32Array(0), row * size, size),
    );
  return { model, features, taskLabels: labelsOf('task', 4), safetyLabels: labelsOf('safety', 2) };
}

describe('runCausalProbes', () => {
  it('finds positive gaps for channels whose route carries their metric', async () => {
    const { model, features, taskLabels, safetyLabels } = await probeSetup();
    const rows = await runCausalProbes({
      model,
      features,
      batch: BATCH,
      seed: 3,
      scrambles: 4,
      channels: [
        { channel: 'task', head: 'task', metric: argmaxAccuracy('task', 4, taskLabels) },
        { channel: 'safety', head: 'safety', metric: argmaxAccuracy('safety', 2, safetyLabels) },
      ],
    });
    for (const row of rows) {
      expect(row.normal).toBe(1);
      expect(row.zeroGap).toBeGreaterThan(0.2);
      expect(row.scrambleGap).toBeGreaterThan(0.2);
    }
  });

  it('finds no gap for a channel whose metric ignores its route', async () => {
    const { model, features, taskLabels } = await probeSetup();
    const [row] = await runCausalProbes({
      model,
      features,
      batch: BATCH,
      seed: 3,
      channels: [
        { channel: 'memory', head: 'safety', metric: argmaxAccuracy('task', 4, taskLabels) },
      ],
    });
    expect(row).toMatchObject({ zeroGap: 0, scrambleGap: 0 });
  });

  it('gives the same scramble gap for the same seed', async () => {
    const { model, features, taskLabels } = await probeSetup();
    const run = () =>
      runCausalProbes({
        model,
        features,
        batch: BATCH,
        seed: 11,
        channels: [
          { channel: 'task', head: 'task', metric: argmaxAccuracy('task', 4, taskLabels) },
        ],
      });
    expect(await run()).toEqual(await run());
  });

  it('rejects a head the model lacks', async () => {
    const { model, features } = await probeSetup();
    await expect(
      runCausalProbes({
        model,
        features,
        batch: BATCH,
        seed: 1,
        channels: [{ channel: 'tool', head: 'tool', metric: () => 0 }],
      }),
    ).rejects.toThrow(/does not have/);
  });
});
