import { resolve } from 'node:path';
import type { AccessEvaluation, EvaluateAccessOptions } from '@galt/village';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { choiceOption, flagOption, integerOption, stringOption } from '../options.js';
import { createStderrLogger, logLevelFromEnv } from '../stderr-logger.js';
import { CURRICULUM_DIRECTORY, resolveExistingDirectory } from './existing-file.js';
import { note, printRows } from './output.js';

/** `galt eval access`: the access rule and the simpler gates on the full layer grid. */
export const evalAccessCommand = defineCommand({
  name: 'eval access',
  summary: 'Score the ledger access rule, the simpler gates and the learned layer heads.',
  description:
    'Builds the memory-layer x violation-layer grid from the contrast packets (top-down\n' +
    'containment included, whole packets held out) and scores the ledger access rule, the\n' +
    'same-layer-only gate, the global flush and the learned layer heads: accuracy overall,\n' +
    'bottom-up (must quarantine) and top-down (must stay accessible). With domain folds the\n' +
    'heads are retrained once per held-out domain, which takes longer.',
  options: {
    data: stringOption({
      description:
        'curriculum directory (default: ../shared/data/galt-curriculum from the repo root)',
      placeholder: 'DIR',
    }),
    model: stringOption({
      description: 'model manifest (default: the shipped models/typed-channel.manifest.json)',
      placeholder: 'FILE',
    }),
    'no-domain-folds': flagOption({ description: 'skip retraining the heads per held-out domain' }),
    'fold-steps': integerOption({
      description: 'training steps of each domain fold',
      min: 1,
      max: 1_000_000,
    }),
    ep: choiceOption({
      description: 'execution provider',
      choices: ['cpu', 'cuda'],
      default: 'cpu',
    }),
    json: flagOption({ description: 'print the result as one JSON object' }),
  },
  examples: ['galt eval access', 'galt eval access --no-domain-folds --json'],
  async execute(values, io) {
    const options: EvaluateAccessOptions = {
      executionProvider: values.ep,
      domainFolds: !values['no-domain-folds'],
      logger: createStderrLogger(io.stderr, logLevelFromEnv(io.env)),
    };
    if (values.data !== undefined) {
      options.dataDir = resolveExistingDirectory(values.data, '--data', CURRICULUM_DIRECTORY, io);
    }
    if (values.model !== undefined) options.manifestPath = resolve(io.cwd, values.model);
    if (values['fold-steps'] !== undefined) options.foldSteps = values['fold-steps'];

    note(io, 'evaluating the access gates...');
    const { evaluateAccess } = await import('@galt/village');
    const result = await evaluateAccess(options);
    if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else printAccessTables(io, result);
    return ExitCode.ok;
  },
});

function printAccessTables(io: CliIo, result: AccessEvaluation): void {
  io.stdout.write(`held-out packets: ${result.heldOutPackets}, pairs: ${result.pairs}\n`);
  const gateRows = Object.entries(result.gates).map(([gate, score]) => ({ gate, ...score }));
  printRows(io, 'gates', gateRows, false);
  io.stdout.write(
    `\nlearned heads: memory layer ${formatShare(result.heads.memoryLayerAccuracy)}, ` +
      `violation layer ${formatShare(result.heads.violationLayerAccuracy)}\n`,
  );
  io.stdout.write(`\nsymbolic grid (${result.grid.cells} cells):\n`);
  const { cells: _cells, ...gridGates } = result.grid;
  printRows(
    io,
    'grid',
    Object.entries(gridGates).map(([gate, score]) => ({ gate, ...score })),
    false,
  );
  if (result.domainHeldOut !== null) {
    io.stdout.write('\nwhole domains held out (heads retrained without the domain):\n');
    const domainRows = result.domainHeldOut.map((fold) => ({
      domain: fold.domain,
      pairs: fold.pairs,
      accuracy: fold.learned.accuracy,
      bottomUp: fold.learned.bottomUp,
      topDown: fold.learned.topDown,
      memoryLayer: fold.heads.memoryLayerAccuracy,
      violationLayer: fold.heads.violationLayerAccuracy,
    }));
    printRows(io, 'domains', domainRows, false);
  }
}

function formatShare(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}
