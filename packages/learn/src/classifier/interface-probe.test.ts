import { SeededRandom } from '@galt/core';
import { buildMlpClassifier } from '@galt/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { GaltUpdater } from '../updater/galt-updater.js';
import type { RowValue } from '../updater/row-state.js';
import { hiddenActivationName, OnnxInterfaceProbe } from './interface-probe.js';
import { ReferenceInterfaceProbe } from './interface-reference.js';
import { crossEntropy } from './logit-functions.js';
import { initMlpParameters, MlpReference, mlpParameterNames } from './mlp-reference.js';

const sizes = [6, 8, 7, 3];
const names = mlpParameterNames(3);
const random = new SeededRandom(31);
const parameters = initMlpParameters(sizes, random);
for (const name of ['b0', 'b1']) {
  const bias = parameters.get(name)!;
  for (let i = 0; i < bias.length; i++) bias[i] = random.nextFloat() * 0.4 - 0.1;
}
const count = 5;
const inputs = Float32Array.from({ length: count * 6 }, () => random.nextFloat() * 2 - 1);
const graph = buildMlpClassifier({ layers: sizes });
const probes = await Promise.all(
  [0, 1].map((index) =>
    OnnxInterfaceProbe.create({
      graph,
      inputName: 'x',
      interfaceName: hiddenActivationName(graph, index),
      parameters,
      trainable: names,
    }),
  ),
);

afterAll(async () => {
  for (const probe of probes) await probe.close();
});

function shifted(values: Float32Array, seed: number): Float32Array {
  const noise = new SeededRandom(seed);
  return values.map((value) => value + noise.nextFloat() * 0.6 - 0.3);
}

/** Central difference of the reference drift along parameter `name`, element `element`. */
async function finiteDifference(
  probe: ReferenceInterfaceProbe,
  anchors: Float32Array,
  name: string,
  element: number,
): Promise<number> {
  const values = parameters.get(name)!;
  const original = values[element]!;
  const step = 1e-3;
  values[element] = original + step;
  const up = (await probe.drift(inputs, count, anchors)).value;
  values[element] = original - step;
  const down = (await probe.drift(inputs, count, anchors)).value;
  values[element] = original;
  return (up - down) / (2 * step);
}

describe.each([0, 1])('interface %i', (index) => {
  const onnx = () => probes[index]!;
  const reference = new ReferenceInterfaceProbe(sizes, parameters, index, names);

  it('gives the reference activations', async () => {
    const expected = await reference.activations(inputs, count);
    const actual = await onnx().activations(inputs, count);
    expect(actual.length).toBe(count * sizes[index + 1]!);
    for (let i = 0; i < expected.length; i++) expect(actual[i]!).toBeCloseTo(expected[i]!, 5);
  });

  it('gives the reference drift and gradient, zero downstream', async () => {
    const anchors = shifted(await reference.activations(inputs, count), index + 1);
    const expected = await reference.drift(inputs, count, anchors);
    const actual = await onnx().drift(inputs, count, anchors);
    expect(actual.value).toBeGreaterThan(0.01);
    expect(actual.value).toBeCloseTo(expected.value, 5);
    for (let i = 0; i < expected.gradient.length; i++) {
      expect(actual.gradient[i]!).toBeCloseTo(expected.gradient[i]!, 5);
    }
    const downstream = sizes
      .slice(0, index + 1)
      .reduce((sum, fanIn, l) => sum + fanIn * sizes[l + 1]! + sizes[l + 1]!, 0);
    expect(actual.gradient.subarray(downstream).every((value) => value === 0)).toBe(true);
    expect(actual.gradient.subarray(0, downstream).some((value) => value !== 0)).toBe(true);
  });

  it('matches finite differences of the drift', async () => {
    const anchors = shifted(await reference.activations(inputs, count), index + 7);
    const { gradient } = await onnx().drift(inputs, count, anchors);
    const offsets = new Map<string, number>();
    let offset = 0;
    for (const name of names) {
      offsets.set(name, offset);
      offset += parameters.get(name)!.length;
    }
    const picker = new SeededRandom(index + 40);
    for (const name of names.slice(0, 2 * (index + 1))) {
      for (let trial = 0; trial < 4; trial++) {
        const element = picker.nextInt(parameters.get(name)!.length);
        const numeric = await finiteDifference(reference, anchors, name, element);
        expect(gradient[offsets.get(name)! + element]!).toBeCloseTo(numeric, 3);
      }
    }
  });
});

describe('an edge row in the updater', () => {
  const blocks = names.map((name) => ({
    name,
    parameters: [name],
    size: parameters.get(name)!.length,
  }));
  const edge = { id: 'hidden-0', from: 'b0', to: 'w1', tolerance: 0.01 };
  const labels = [2, 2, 2, 2, 2];

  /**
   * Runs 30 steps that pull every input to class 2, committing a step only when the measured edge
   * row is satisfied afterwards, as a memory write does.
   */
  async function train(withEdge: boolean) {
    const values = new Map([...parameters].map(([name, v]) => [name, Float32Array.from(v)]));
    const model = new MlpReference(sizes, values);
    const probe = await OnnxInterfaceProbe.create({
      graph,
      inputName: 'x',
      interfaceName: hiddenActivationName(graph, 0),
      parameters: values,
      trainable: names,
    });
    const anchors = await probe.activations(inputs, count);
    const updater = new GaltUpdater({ blocks, edges: [edge], learningRate: 0.01 });
    let committed = 0;
    let worst = 0;
    for (let step = 0; step < 30; step++) {
      const logits = await model.forward(inputs, count);
      const { logitGradient } = crossEntropy(logits, labels, 3);
      const gradient = await model.gradient(inputs, count, logitGradient);
      const drift = await probe.drift(inputs, count, anchors);
      const row: RowValue = {
        id: 'edge-row',
        kind: 'consistency',
        hard: false,
        value: drift.value - edge.tolerance,
        edge: edge.id,
      };
      const saved = new Map([...values].map(([name, v]) => [name, Float32Array.from(v)]));
      const rows = withEdge ? [row] : [];
      updater.step({
        parameters: values,
        gradient,
        rows,
        jacobians: new Map([[row.id, drift.gradient]]),
      });
      const after = (await probe.drift(inputs, count, anchors)).value;
      worst = Math.max(worst, after);
      // λ follows the measured post-step value, so a rolled-back step is retried with more force.
      if (withEdge) updater.updateDuals([{ ...row, value: after - edge.tolerance }]);
      if (withEdge && after > edge.tolerance) {
        for (const [name, v] of saved) values.get(name)!.set(v);
      } else committed += 1;
    }
    const final = (await probe.drift(inputs, count, anchors)).value;
    await probe.close();
    return { committed, worst, final };
  }

  it('holds the interface within tolerance or rolls the step back', async () => {
    const free = await train(false);
    const held = await train(true);
    expect(free.worst).toBeGreaterThan(edge.tolerance);
    expect(held.final).toBeLessThanOrEqual(edge.tolerance);
    // Unconstrained steps drift far past the tolerance.
    expect(free.worst).toBeGreaterThan(5 * edge.tolerance);
    // With the edge row every attempted step stays near it, and committed states stay within it.
    expect(held.worst).toBeLessThan(1.5 * edge.tolerance);
    expect(held.final).toBeLessThanOrEqual(edge.tolerance);
    expect(held.committed).toBeGreaterThanOrEqual(5);
  });
});
