import { join, resolve } from 'node:path';
import { defineCommand } from '../command.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { choiceOption, flagOption, stringOption } from '../options.js';
import { formatSummary } from '../table.js';
import { resolveExistingFile } from './existing-file.js';

/** File of the curriculum's validation split, the only split evaluation figures may come from. */
const VALIDATION_FILE = 'validation.jsonl';

/** `galt eval gate`: the shipped model plus safety stack scored on curriculum rows. */
export const evalGateCommand = defineCommand({
  name: 'eval gate',
  summary: 'Score the model and safety stack on a curriculum file (action, memory, residual).',
  description:
    'Runs the shipped typed-channel model and the village safety rules on every routing and\n' +
    'memory row of a curriculum JSONL file and reports accuracy against the row targets.\n' +
    'Malformed rows are skipped and counted.',
  options: {
    data: stringOption({
      description: 'curriculum JSONL file (default: validation.jsonl of the default curriculum)',
      placeholder: 'FILE',
    }),
    model: stringOption({
      description: 'model manifest (default: the shipped models/typed-channel.manifest.json)',
      placeholder: 'FILE',
    }),
    ep: choiceOption({
      description: 'execution provider',
      choices: ['cpu', 'cuda'],
      default: 'cpu',
    }),
    json: flagOption({ description: 'print the result as one JSON object' }),
  },
  examples: ['galt eval gate --data ../shared/data/galt-curriculum/validation.jsonl'],
  async execute(values, io) {
    const { evaluateGate, resolveDataDir } = await import('@galt/village');
    const dataPath = values.data ?? join(resolveDataDir(undefined, io.cwd), VALIDATION_FILE);
    const dataFile = resolveExistingFile(dataPath, '--data', 'a curriculum JSONL file', io);
    const result = await evaluateGate({
      dataFile,
      executionProvider: values.ep,
      ...(values.model === undefined ? {} : { manifestPath: resolve(io.cwd, values.model) }),
    });
    if (result.rows === 0) {
      throw new CliError(
        `no row of ${dataFile} could be scored (${result.skippedRows} skipped as malformed); ` +
          'pass --data with a curriculum JSONL file such as validation.jsonl',
        ExitCode.usage,
      );
    }
    if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else io.stdout.write(formatSummary({ dataFile, ...result }));
    return ExitCode.ok;
  },
});
