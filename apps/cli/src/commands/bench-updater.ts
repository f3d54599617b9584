import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { flagOption, integerOption } from '../options.js';
import { note, printRows } from './output.js';

/** `galt bench updater`: one GALT step against one Adam step on the same parameters. */
export const benchUpdaterCommand = defineCommand({
  name: 'bench updater',
  summary: 'Time one GALT updater step against one Adam step on the same parameters.',
  description:
    'Parameters are the weights and biases of an MLP 784-64-10 (50,890 values, one block per\n' +
    'tensor). Prints the median time of an Adam step, of a GALT step without rows (which equals\n' +
    'the Adam step) and of a GALT step with every row active and fresh Jacobian rows, and the\n' +
    'ratio of the last to Adam. Gradients and Jacobian rows are random, so only the update is\n' +
    'timed. The project target is a ratio of at most 1.5 with 32 rows (docs/benchmarks.md).',
  options: {
    rows: integerOption({ description: 'active constraint rows', min: 0, max: 1024, default: 32 }),
    steps: integerOption({
      description: 'timed steps per method',
      min: 1,
      max: 10_000,
      default: 50,
    }),
    json: flagOption({ description: 'print the result as one JSON object' }),
  },
  examples: ['galt bench updater', 'galt bench updater --rows 8 --json'],
  async execute(values, io) {
    note(io, 'running the updater step benchmark...');
    const { runStepCostBenchmark } = await import('@galt/learn');
    const result = runStepCostBenchmark({ rows: values.rows, steps: values.steps });
    printRows(io, 'updater', [result], values.json);
    return ExitCode.ok;
  },
});
