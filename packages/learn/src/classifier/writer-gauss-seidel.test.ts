import { SeededRandom } from '@galt/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClassifierMemoryWriter } from './classifier-memory-writer.js';
import { marginRows } from './logit-functions.js';
import { initMlpParameters, MlpReference } from './mlp-reference.js';
import type { SafetyProbe } from './write-request.js';

const sizes = [6, 10, 4];
/** The head split into two blocks, so the Gauss–Seidel sweeps have something to iterate. */
const splitHead = [
  { name: 'head-weight', parameters: ['w1'], size: 10 * 4 },
  { name: 'head-bias', parameters: ['b1'], size: 4 },
];

function features(random: SeededRandom): number[] {
  return Array.from({ length: 6 }, () => random.nextFloat() * 2 - 1);
}

/** Builds probes that are satisfied now, each keeping half of its current logit lead. */
async function currentProbes(model: MlpReference, random: SeededRandom): Promise<SafetyProbe[]> {
  const probes: SafetyProbe[] = [];
  for (let i = 0; i < 3; i++) {
    const x = features(random);
    const logits = await model.forward(Float32Array.from(x), 1);
    const label = logits.indexOf(Math.max(...logits));
    const lead = -marginRows(logits, [label], [0], 4).values[0]!;
    probes.push({ id: `probe-${i}`, features: x, label, margin: lead / 2 });
  }
  return probes;
}

describe('ClassifierMemoryWriter with Gauss–Seidel blocks', () => {
  it('commits satisfied writes or restores parameters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const random = new SeededRandom(seed);
        const parameters = initMlpParameters(sizes, random);
        const model = new MlpReference(sizes, parameters, ['w1', 'b1']);
        const writer = new ClassifierMemoryWriter({
          model,
          blocks: splitHead,
          updater: { blockSolve: 'gauss-seidel' },
        });
        const probes = await currentProbes(model, random);
        const before = new Map([...parameters].map(([name, v]) => [name, Float32Array.from(v)]));
        const conflicting = { features: probes[0]!.features, label: (probes[0]!.label + 1) % 4 };
        const record = await writer.write({
          agentId: 'npc-2',
          tick: 4,
          admitted: [conflicting],
          safetyProbes: probes,
        });
        expect(record.outcome).not.toBe('refused');
        if (record.outcome === 'rolled_back') {
          expect(parameters).toEqual(before);
          return;
        }
        const packed = Float32Array.from(probes.flatMap((probe) => Array.from(probe.features)));
        const margins = probes.map((probe) => probe.margin!);
        const labels = probes.map((probe) => probe.label);
        const after = marginRows(await model.forward(packed, 3), labels, margins, 4).values;
        for (const value of after) expect(value).toBeLessThanOrEqual(0);
      }),
      { numRuns: 20 },
    );
  });
});
