import { SeededRandom } from '@galt/core';
import { ParametricWriteRecordSchema } from '@galt/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUpdater, encodeUpdater } from '../updater/snapshot-codec.js';
import { ClassifierMemoryWriter } from './classifier-memory-writer.js';
import { marginRows } from './logit-functions.js';
import { initMlpParameters, MlpReference } from './mlp-reference.js';
import type { SafetyProbe, WriteRequest } from './write-request.js';
import { decodeWriterState, encodeWriterState } from './writer-snapshot.js';

const sizes = [6, 10, 4];
const headBlock = [{ name: 'head', parameters: ['w1', 'b1'], size: 10 * 4 + 4 }];

function features(random: SeededRandom): number[] {
  return Array.from({ length: 6 }, () => random.nextFloat() * 2 - 1);
}

function setup(seed: number) {
  const random = new SeededRandom(seed);
  const parameters = initMlpParameters(sizes, random);
  const model = new MlpReference(sizes, parameters, ['w1', 'b1']);
  const writer = new ClassifierMemoryWriter({ model, blocks: headBlock });
  return { random, parameters, model, writer };
}

/** Builds probes that hold now: each keeps its current class with half its current lead. */
async function holdingProbes(
  model: MlpReference,
  random: SeededRandom,
  count: number,
): Promise<SafetyProbe[]> {
  const probes: SafetyProbe[] = [];
  for (let i = 0; i < count; i++) {
    const x = features(random);
    const logits = await model.forward(Float32Array.from(x), 1);
    const label = logits.indexOf(Math.max(...logits));
    const lead = -marginRows(logits, [label], [0], 4).values[0]!;
    probes.push({ id: `probe-${i}`, features: x, label, margin: lead / 2 });
  }
  return probes;
}

function copyParameters(parameters: Map<string, Float32Array>): Map<string, Float32Array> {
  return new Map([...parameters].map(([name, values]) => [name, Float32Array.from(values)]));
}

async function hardRowValues(model: MlpReference, probes: SafetyProbe[]): Promise<Float64Array> {
  const packed = Float32Array.from(probes.flatMap((probe) => Array.from(probe.features)));
  const logits = await model.forward(packed, probes.length);
  return marginRows(
    logits,
    probes.map((p) => p.label),
    probes.map((p) => p.margin ?? 1),
    4,
  ).values;
}

describe('ClassifierMemoryWriter', () => {
  it('commits only writes whose hard rows hold, else restores parameters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const { random, parameters, model, writer } = setup(seed);
        const probes = await holdingProbes(model, random, 3);
        const before = copyParameters(parameters);
        const conflicting = { features: probes[0]!.features, label: (probes[0]!.label + 1) % 4 };
        const request: WriteRequest = {
          agentId: 'npc-1',
          tick: 3,
          admitted: [conflicting, { features: features(random), label: random.nextInt(4) }],
          safetyProbes: probes,
          retention: [{ id: 'keep-0', features: features(random), label: random.nextInt(4) }],
        };
        const record = await writer.write(request);
        expect(ParametricWriteRecordSchema.safeParse(record).success).toBe(true);
        expect(record.outcome).not.toBe('refused');
        if (record.outcome === 'committed') {
          for (const value of await hardRowValues(model, probes))
            expect(value).toBeLessThanOrEqual(1e-4);
          expect(record.violatedRows).toEqual([]);
        } else {
          expect(copyParameters(parameters)).toEqual(before);
          expect(record.violatedRows.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('lowers the task loss of a free write', async () => {
    const { random, writer } = setup(5);
    const admitted = [{ features: features(random), label: 2 }];
    const record = await writer.write({ agentId: 'a', tick: 0, admitted });
    expect(record.outcome).toBe('committed');
    expect(record.taskLossAfter).toBeLessThan(record.taskLossBefore);
    expect(record.solveMode).toBe('adam');
    expect(record.passes.backward).toBeGreaterThan(0);
  });

  it('refuses NaN features and leaves parameters unchanged', async () => {
    const { random, parameters, writer } = setup(6);
    const before = copyParameters(parameters);
    const bad = features(random);
    bad[2] = Number.NaN;
    const record = await writer.write({
      agentId: 'a',
      tick: 1,
      admitted: [{ features: bad, label: 1 }],
    });
    expect(record.outcome).toBe('refused');
    expect(copyParameters(parameters)).toEqual(before);
  });

  it('refuses when a parameter is infinite', async () => {
    const { random, parameters, writer } = setup(7);
    parameters.get('w0')![0] = Number.POSITIVE_INFINITY;
    const before = copyParameters(parameters);
    const probes: SafetyProbe[] = [{ id: 'p', features: features(random), label: 0 }];
    const record = await writer.write({
      agentId: 'a',
      tick: 1,
      admitted: [{ features: features(random), label: 1 }],
      safetyProbes: probes,
    });
    expect(record.outcome).toBe('refused');
    expect(record.reason).toMatch(/NaN|Infinity|non-finite|overflow/);
    expect(copyParameters(parameters)).toEqual(before);
  });

  it('refuses a write with nothing admitted', async () => {
    const { random, parameters, writer } = setup(11);
    await writer.write({
      agentId: 'a',
      tick: 1,
      admitted: [{ features: features(random), label: 1 }],
    });
    const before = copyParameters(parameters);
    const record = await writer.write({ agentId: 'a', tick: 2, admitted: [] });
    expect(record.outcome).toBe('refused');
    expect(record.reason).toMatch(/nothing was admitted/);
    expect(copyParameters(parameters)).toEqual(before);
  });

  it('refuses a restored zero penalty', async () => {
    const { random, model, parameters, writer } = setup(8);
    const probes = await holdingProbes(model, random, 1);
    const request = {
      agentId: 'a',
      tick: 1,
      admitted: [{ features: features(random), label: 1 }],
      safetyProbes: probes,
    };
    await writer.write(request);
    const state = decodeWriterState(writer.snapshot());
    const updater = decodeUpdater(state.updater);
    for (const row of updater.rows.values()) {
      row.rho = 0;
      row.lambda = 0;
    }
    writer.restore(encodeWriterState({ ...state, updater: encodeUpdater(updater) }));
    // Make the probe active so its zero penalty enters the solve.
    const tight = probes.map((probe) => ({ ...probe, margin: (probe.margin ?? 0) * 2 }));
    const before = copyParameters(parameters);
    const record = await writer.write({ ...request, safetyProbes: tight });
    expect(record.outcome).toBe('refused');
    expect(copyParameters(parameters)).toEqual(before);
  });

  it('rejects features of the wrong length', async () => {
    const { writer } = setup(9);
    await expect(
      writer.write({ agentId: 'a', tick: 0, admitted: [{ features: [1, 2], label: 0 }] }),
    ).rejects.toThrow(/admitted\[0\] has 2 features, expected 6/);
  });

  it('restores a snapshot and repeats the same write exactly', async () => {
    const { random, model, parameters, writer } = setup(10);
    const probes = await holdingProbes(model, random, 2);
    const request = (label: number): WriteRequest => ({
      agentId: 'a',
      tick: label,
      admitted: [{ features: probes[1]!.features, label }],
      safetyProbes: probes,
      retention: [{ id: 'r', features: probes[0]!.features, label: probes[0]!.label }],
    });
    await writer.write(request(1));
    const bytes = writer.snapshot();
    const copy = copyParameters(parameters);
    const twin = new ClassifierMemoryWriter({
      model: new MlpReference(sizes, copy, ['w1', 'b1']),
      blocks: headBlock,
    });
    twin.restore(bytes);
    expect(twin.snapshot()).toEqual(bytes);
    const first = await writer.write(request(3));
    const second = await twin.write(request(3));
    expect(second).toEqual(first);
    expect(copy).toEqual(parameters);
  });
});
