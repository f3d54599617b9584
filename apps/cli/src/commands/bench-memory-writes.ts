import type { MemoryWriteBenchmarkOptions } from '@galt/learn';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { choiceOption, flagOption, integerOption } from '../options.js';
import { createStderrLogger, logLevelFromEnv } from '../stderr-logger.js';
import { note, printRows } from './output.js';

/** `galt bench memory-writes`: a stream of online writes, GALT against plain Adam. */
export const benchMemoryWritesCommand = defineCommand({
  name: 'bench memory-writes',
  summary: 'Count hard safety probe violations over a stream of online memory writes.',
  description:
    'Writes a stream of examples (every third one adversarial) into a pre-trained MNIST\n' +
    'classifier head, once through the constrained GALT memory writer and once with plain\n' +
    'Adam, and counts committed and rolled-back writes and hard probe violations after each\n' +
    'write. Exits 1 if a committed GALT write left a probe violated.',
  options: {
    seed: integerOption({ description: 'seed (learn default 0)', min: 0, max: 2 ** 31 - 1 }),
    writes: integerOption({ description: 'writes in the stream', min: 1, max: 100_000 }),
    probes: integerOption({ description: 'hard safety probes', min: 1, max: 10_000 }),
    'pretrain-epochs': integerOption({ description: 'epochs of pre-training', min: 1, max: 100 }),
    ep: choiceOption({
      description: 'execution provider',
      choices: ['cpu', 'cuda'],
      default: 'cpu',
    }),
    json: flagOption({ description: 'print the result as one JSON object' }),
  },
  examples: ['galt bench memory-writes', 'galt bench memory-writes --writes 30 --json'],
  async execute(values, io) {
    const options: MemoryWriteBenchmarkOptions = {
      executionProvider: values.ep,
      logger: createStderrLogger(io.stderr, logLevelFromEnv(io.env)),
    };
    if (values.seed !== undefined) options.seed = values.seed;
    if (values.writes !== undefined) options.writes = values.writes;
    if (values.probes !== undefined) options.probes = values.probes;
    if (values['pretrain-epochs'] !== undefined) options.pretrainEpochs = values['pretrain-epochs'];
    note(io, 'running the memory-write benchmark...');
    const { runMemoryWriteBenchmark } = await import('@galt/learn');
    const result = await runMemoryWriteBenchmark(options);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      io.stdout.write(`${result.writes} writes, ${result.probes} hard probes\n`);
      const rows = [
        { channel: 'GALT memory writer', ...result.galt },
        { channel: 'plain Adam', ...result.adam },
      ];
      printRows(io, 'memory-writes', rows, false);
    }
    return result.galt.writesLeavingViolation > 0 ? ExitCode.failed : ExitCode.ok;
  },
});
