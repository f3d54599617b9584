import { defineCommand } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { keepTickObjectsYoung } from '../../gc-tuning.js';
import { createStderrLogger, logLevelFromEnv } from '../../stderr-logger.js';
import { formatSummary } from '../../table.js';
import { note } from '../output.js';
import { runOptions } from './run-options.js';
import { runWorld } from './run-world.js';

/** `galt run`: the main job, the village world with its event server and ledger. */
export const runCommand = defineCommand({
  name: 'run',
  summary: 'Run the village world, stream its events and record its ledger.',
  description:
    'Starts the demo village (NPCs and scripted players on the curriculum data), records every\n' +
    'event and memory decision in the SQLite database, streams events over WebSocket on\n' +
    '127.0.0.1, serves the inspector page at / on the same port, and prints a summary.\n' +
    'Progress goes to stderr. Exits 1 if a committed memory write left a hard safety probe\n' +
    'violated. Set GALT_LOG=info or debug for more log output.',
  options: runOptions,
  examples: [
    'galt run',
    'galt run --ticks 1000 --db ./village.db --port 0 --json',
    'GALT_TOKEN=secret galt run --serve',
  ],
  async execute(values, io) {
    keepTickObjectsYoung();
    const logger = createStderrLogger(io.stderr, logLevelFromEnv(io.env));
    const { summary, interrupted } = await runWorld(values, io, logger).finally(() =>
      logger.reportSuppressed(),
    );
    if (interrupted)
      note(io, `interrupted after ${summary.ticks} ticks; the run was ended cleanly`);
    if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else io.stdout.write(formatSummary(summary));
    if (summary.parametric.hardViolationsAfterWrites > 0) return ExitCode.failed;
    // With --serve an interrupt is how a run ends; without it the run stopped short.
    return interrupted && values.serve !== true ? ExitCode.interrupted : ExitCode.ok;
  },
});
