import { resolve } from 'node:path';
import type { TrainTypedChannelOptions } from '@galt/village';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { flagOption, integerOption, numberOption, stringOption } from '../options.js';
import { createStderrLogger, logLevelFromEnv } from '../stderr-logger.js';
import { formatSummary } from '../table.js';
import { CURRICULUM_DIRECTORY, resolveExistingDirectory } from './existing-file.js';
import { note, printRows } from './output.js';

/** `galt train`: rebuilds the shipped typed-channel model from the curriculum train split. */
export const trainCommand = defineCommand({
  name: 'train',
  summary: 'Train the typed-channel model on the curriculum and write it to models/.',
  description:
    'Trains the task, safety and memory heads on the train split only, measures them on the\n' +
    'validation split, and writes typed-channel.onnx, its manifest and its model card.\n' +
    'Unset options take the village defaults, which rebuild the shipped model.',
  options: {
    data: stringOption({
      description:
        'curriculum directory (default: ../shared/data/galt-curriculum from the repo root)',
      placeholder: 'DIR',
    }),
    out: stringOption({
      description: 'directory the model files are written to (default: models/ at the repo root)',
      placeholder: 'DIR',
    }),
    seed: integerOption({ description: 'training seed', min: 0, max: 2 ** 31 - 1 }),
    steps: integerOption({ description: 'optimizer steps', min: 1, max: 1_000_000 }),
    'batch-size': integerOption({ description: 'examples per step', min: 1, max: 65_536 }),
    'learning-rate': numberOption({ description: 'Adam learning rate', min: 1e-6, max: 1 }),
    'measure-only': flagOption({ description: 'train and measure without writing any file' }),
    json: flagOption({ description: 'print the result as one JSON object' }),
  },
  examples: ['galt train', 'galt train --seed 3 --out /tmp/models --json'],
  async execute(values, io) {
    const logger = createStderrLogger(io.stderr, logLevelFromEnv(io.env));
    const options: TrainTypedChannelOptions = { logger, write: !values['measure-only'] };
    if (values.data !== undefined) {
      options.dataDir = resolveExistingDirectory(values.data, '--data', CURRICULUM_DIRECTORY, io);
    }
    if (values.out !== undefined) options.outDir = resolve(io.cwd, values.out);
    if (values.seed !== undefined) options.seed = values.seed;
    if (values.steps !== undefined) options.steps = values.steps;
    if (values['batch-size'] !== undefined) options.batchSize = values['batch-size'];
    if (values['learning-rate'] !== undefined) options.learningRate = values['learning-rate'];

    note(io, 'training the typed-channel model...');
    const { trainTypedChannelModel } = await import('@galt/village');
    const result = await trainTypedChannelModel(options);
    const validation = Object.entries(result.validation).map(([head, accuracy]) => ({
      head,
      ...accuracy,
    }));
    const output = {
      sha256: result.manifest.sha256,
      bytes: result.bytes.length,
      finalLoss: result.losses.at(-1) ?? null,
      gateMeanAbsoluteError: result.gateMeanAbsoluteError,
      files: result.files,
      validation,
    };
    if (values.json) {
      io.stdout.write(`${JSON.stringify(output)}\n`);
      return ExitCode.ok;
    }
    const { validation: _rows, ...headline } = output;
    io.stdout.write(formatSummary(headline));
    io.stdout.write('\nvalidation split:\n');
    printRows(io, 'validation', validation, false);
    return ExitCode.ok;
  },
});
