import type { OnnxBenchOptions } from '@galt/onnx';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import {
  choiceOption,
  flagOption,
  integerListOption,
  integerOption,
  numberOption,
} from '../options.js';
import { note, printRows } from './output.js';

/** `galt bench onnx`: model call latency, gradient graphs and the worker pool. */
export const benchOnnxCommand = defineCommand({
  name: 'bench onnx',
  summary: 'Measure ONNX forward latency, gradient and Jacobian graphs and the worker pool.',
  description:
    'Runs an MLP (784-100-100-10 unless --layers is given) on onnxruntime and on the\n' +
    'TypeScript reference: forward latency at batch 1, 16 and 256, the gradient graph, the\n' +
    'per-row Jacobian graph, and worker-pool throughput.',
  options: {
    layers: integerListOption({ description: 'MLP layer widths', min: 1, max: 100_000 }),
    scale: numberOption({
      description: 'factor on every iteration count',
      min: 0.01,
      max: 100,
      default: 1,
    }),
    workers: integerOption({
      description: 'workers of the pool row (onnx default)',
      min: 1,
      max: 64,
    }),
    ep: choiceOption({
      description: 'execution provider',
      choices: ['cpu', 'cuda'],
      default: 'cpu',
    }),
    json: flagOption({ description: 'print the rows as one JSON object' }),
  },
  examples: ['galt bench onnx', 'galt bench onnx --scale 0.2 --json', 'galt bench onnx --ep cuda'],
  async execute(values, io) {
    const options: OnnxBenchOptions = { scale: values.scale, executionProvider: values.ep };
    if (values.layers !== undefined) options.layers = values.layers;
    if (values.workers !== undefined) options.workers = values.workers;
    note(io, 'running the onnx benchmark...');
    const { runOnnxBenchmark } = await import('@galt/onnx');
    const rows = await runOnnxBenchmark(options);
    printRows(io, 'onnx', rows, values.json);
    return ExitCode.ok;
  },
});
