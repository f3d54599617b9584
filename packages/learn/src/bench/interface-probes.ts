import { GaltError } from '@galt/core';
import { buildMlpClassifier } from '@galt/onnx';
import {
  hiddenActivationName,
  type InterfaceProbe,
  OnnxInterfaceProbe,
} from '../classifier/interface-probe.js';
import { ReferenceInterfaceProbe } from '../classifier/interface-reference.js';
import { mlpParameterNames } from '../classifier/mlp-reference.js';
import type { ResolvedContinualOptions } from './continual-options.js';

/**
 * Creates one interface probe per hidden activation of the split suites' MLP when GALT's edge
 * rows are on, with the same backend as the model.
 */
export async function createInterfaceProbes(
  parameters: Map<string, Float32Array>,
  settings: ResolvedContinualOptions,
): Promise<InterfaceProbe[]> {
  const anchorsPerStep = settings.galt.interfaceRows ?? 0;
  if (!Number.isInteger(anchorsPerStep) || anchorsPerStep < 0) {
    throw new GaltError(
      'invalid_config',
      `invalid galt.interfaceRows ${anchorsPerStep}: expected a whole number of 0 or more`,
      {
        remedy: 'set galt.interfaceRows to 0 (edge rows off) or a positive whole number of anchors',
      },
    );
  }
  if (anchorsPerStep === 0) return [];
  if (settings.suite === 'prototype') {
    throw new GaltError('invalid_config', 'interface rows need the MLP of the split suites', {
      remedy: 'set galt.interfaceRows to 0 for the prototype suite',
    });
  }
  const layers = [784, ...settings.hidden, 10];
  const trainable = mlpParameterNames(layers.length - 1);
  const hidden = settings.hidden.map((_, index) => index);
  if (settings.backend === 'reference') {
    return hidden.map((index) => new ReferenceInterfaceProbe(layers, parameters, index));
  }
  const graph = buildMlpClassifier({ layers });
  return Promise.all(
    hidden.map((index) =>
      OnnxInterfaceProbe.create({
        graph,
        inputName: 'x',
        interfaceName: hiddenActivationName(graph, index),
        parameters,
        trainable,
        executionProvider: settings.executionProvider,
      }),
    ),
  );
}
