import type { VillageBenchmarkOptions } from '@galt/village';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import {
  choiceOption,
  flagOption,
  integerListOption,
  integerOption,
  stringOption,
} from '../options.js';
import { CURRICULUM_DIRECTORY, resolveExistingDirectory } from './existing-file.js';
import { note, printRows } from './output.js';

/** `galt bench village`: whole village runs per seed, with the safety of memory writes. */
export const benchVillageCommand = defineCommand({
  name: 'bench village',
  summary: 'Run the village per seed: decisions per second and the safety of memory writes.',
  description:
    'Runs the village once per seed on an in-memory store and reports decisions per second,\n' +
    'memory decisions, committed and rolled-back parametric writes, hard probe violations\n' +
    'after committed writes (must be 0) and, for contrast, the violations of plain Adam on the\n' +
    'same writes. Exits 1 if any committed write left a hard probe violated.',
  options: {
    ticks: integerOption({
      description: 'ticks per run (village default 200)',
      min: 1,
      max: 1_000_000,
    }),
    seeds: integerListOption({
      description: 'seeds (village default 1,2,3)',
      min: 0,
      max: 2 ** 31 - 1,
    }),
    players: integerOption({ description: 'scripted players', min: 1, max: 10_000 }),
    data: stringOption({
      description:
        'curriculum directory (default: ../shared/data/galt-curriculum from the repo root)',
      placeholder: 'DIR',
    }),
    ep: choiceOption({
      description: 'execution provider',
      choices: ['cpu', 'cuda'],
      default: 'cpu',
    }),
    json: flagOption({ description: 'print the rows as one JSON object' }),
  },
  examples: ['galt bench village', 'galt bench village --ticks 100 --seeds 1 --json'],
  async execute(values, io) {
    const options: VillageBenchmarkOptions = { executionProvider: values.ep };
    if (values.ticks !== undefined) options.ticks = values.ticks;
    if (values.seeds !== undefined) options.seeds = values.seeds;
    if (values.players !== undefined) options.players = values.players;
    if (values.data !== undefined) {
      options.dataDir = resolveExistingDirectory(values.data, '--data', CURRICULUM_DIRECTORY, io);
    }
    note(io, 'running the village benchmark...');
    const { runVillageBenchmark } = await import('@galt/village');
    const rows = await runVillageBenchmark(options);
    printRows(io, 'village', rows, values.json);
    const violated = rows.some((row) => row.hardViolationsAfterWrites > 0);
    return violated ? ExitCode.failed : ExitCode.ok;
  },
});
