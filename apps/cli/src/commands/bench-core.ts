import { runCoreBenchmark } from '@galt/core';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { flagOption, numberOption } from '../options.js';
import { note, printRows } from './output.js';

/** `galt bench core`: the per-tick helpers of core (features, safety screen, adjudication). */
export const benchCoreCommand = defineCommand({
  name: 'bench core',
  summary: 'Measure the per-tick helpers of core: text features, safety screen, adjudication.',
  options: {
    scale: numberOption({
      description: 'factor on every iteration count',
      min: 0.01,
      max: 100,
      default: 1,
    }),
    json: flagOption({ description: 'print the rows as one JSON object' }),
  },
  examples: ['galt bench core', 'galt bench core --scale 0.1 --json'],
  async execute(values, io) {
    note(io, 'running the core benchmark...');
    printRows(io, 'core', runCoreBenchmark({ scale: values.scale }), values.json);
    return ExitCode.ok;
  },
});
