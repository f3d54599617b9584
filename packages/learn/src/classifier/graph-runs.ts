import { GaltError, type Logger } from '@galt/core';
import {
  allocateData,
  type ExecutionProvider,
  type Graph,
  type SessionOptions,
  type TensorValue,
} from '@galt/onnx';

/** Returns session options that carry the execution provider and logger the caller set. */
export function sessionOptionsOf(options: {
  executionProvider?: ExecutionProvider | undefined;
  logger?: Logger | undefined;
}): SessionOptions {
  const sessionOptions: SessionOptions = {};
  if (options.executionProvider !== undefined) {
    sessionOptions.executionProvider = options.executionProvider;
  }
  if (options.logger !== undefined) sessionOptions.logger = options.logger;
  return sessionOptions;
}

/**
 * Builds the feeds of one run of a graph derived from the caller's graph: zeros for every graph
 * input, then the features `[count, inputSize]` under `inputName` and each parameter's current
 * values, read from `parameters` so in-place updates take effect.
 */
export function graphFeeds(
  graph: Graph,
  inputName: string,
  parameters: ReadonlyMap<string, Float32Array>,
  inputs: Float32Array,
  count: number,
  inputSize: number,
): Record<string, TensorValue> {
  const feeds: Record<string, TensorValue> = {};
  for (const input of graph.inputs) {
    const dims = input.shape.map((dim) => (typeof dim === 'number' ? dim : count));
    const size = dims.reduce((a, b) => a * b, 1);
    feeds[input.name] = { type: input.type, dims, data: allocateData(input.type, size) };
  }
  feeds[inputName] = { type: 'float32', dims: [count, inputSize], data: inputs };
  for (const parameter of graph.parameters) {
    const data = parameterValue(parameters, parameter.name);
    feeds[parameter.name] = { type: 'float32', dims: parameter.shape.map(Number), data };
  }
  return feeds;
}

/** Concatenates the `grad.NAME` outputs of a gradient graph in the order of `names`. */
export function flatGradient(
  outputs: Readonly<Record<string, TensorValue>>,
  names: readonly string[],
  dimension: number,
): Float32Array {
  const gradient = new Float32Array(dimension);
  let offset = 0;
  for (const name of names) {
    const part = outputs[`grad.${name}`]!.data as Float32Array;
    gradient.set(part, offset);
    offset += part.length;
  }
  return gradient;
}

/** Returns a parameter's values, raising `invalid_input` when the caller did not pass them. */
export function parameterValue(
  parameters: ReadonlyMap<string, Float32Array>,
  name: string,
): Float32Array {
  const value = parameters.get(name);
  if (value === undefined) {
    throw new GaltError('invalid_input', `parameter ${name} has no value`, {
      remedy: 'pass a Float32Array for every parameter of the graph',
    });
  }
  return value;
}
