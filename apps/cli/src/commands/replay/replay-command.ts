import type { LedgerRecord, RunInfo, StreamEvent } from '@galt/protocol';
import { type GaltStore, openStore } from '@galt/store';
import { defineCommand } from '../../command.js';
import { CliError, ExitCode } from '../../exit-codes.js';
import { choiceOption, flagOption, stringOption } from '../../options.js';
import { createStderrLogger, logLevelFromEnv } from '../../stderr-logger.js';
import { formatSummary, formatTable } from '../../table.js';
import { resolveExistingDatabase } from '../database-file.js';
import { note } from '../output.js';
import { latestRunId, ledgerBeforeRun, readRunEvents } from './read-run-events.js';
import { replayEvents } from './replay-run.js';

/** `galt replay`: re-runs a recorded village run and compares event digests. */
export const replayCommand = defineCommand({
  name: 'replay',
  summary: 'Re-run a recorded village run and compare its events digest by digest.',
  description:
    'Rebuilds the village from the run record (seed, split, player count) on the same model\n' +
    'and data, re-runs as many ticks as were recorded into a scratch in-memory store, and\n' +
    'compares the SHA-256 digest of every event (tick, agent, kind, payload) with the\n' +
    'recorded one, position by position. Exits 1 on any mismatch. The database is only read;\n' +
    'the ledger records of earlier runs in the file are copied into the scratch store first,\n' +
    'so the replay starts with the memories the recorded run started with.',
  options: {
    db: stringOption({
      description: 'SQLite database file',
      placeholder: 'PATH',
      default: './galt.db',
    }),
    run: stringOption({
      description: 'run id to replay (default: the newest run)',
      placeholder: 'ID',
    }),
    data: stringOption({
      description:
        'curriculum directory (default: ../shared/data/galt-curriculum from the repo root)',
      placeholder: 'DIR',
    }),
    model: stringOption({
      description: 'model manifest the run used (default: the shipped model)',
      placeholder: 'FILE',
    }),
    ep: choiceOption({
      description: 'execution provider',
      choices: ['cpu', 'cuda'],
      default: 'cpu',
    }),
    json: flagOption({ description: 'print the result as one JSON object' }),
  },
  examples: ['galt replay --db ./galt.db', 'galt replay --db ./galt.db --run village-s7-l1 --json'],
  async execute(values, io) {
    const path = resolveExistingDatabase(values.db, io);
    const store = openStore(path, { readOnly: true });
    let run: RunInfo;
    let recorded: StreamEvent[];
    let priorLedger: LedgerRecord[];
    try {
      run = findRun(store, values.run, path);
      recorded = readRunEvents(store, run.runId);
      priorLedger = ledgerBeforeRun(store, run.runId);
    } finally {
      store.close();
    }

    if (run.endedAt === null) {
      note(
        io,
        `run ${run.runId} never finished; replaying the ticks it recorded before it stopped`,
      );
    }
    const logger = createStderrLogger(io.stderr, logLevelFromEnv(io.env));
    const report = await replayEvents({ run, recorded, priorLedger }, values, io, logger).finally(
      () => logger.reportSuppressed(),
    );
    if (values.json) {
      io.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      const { firstMismatches, ...headline } = report;
      io.stdout.write(formatSummary(headline));
      if (firstMismatches.length > 0) {
        io.stdout.write(`\nfirst mismatches:\n${formatTable(firstMismatches as never[])}`);
      }
    }
    return report.ok ? ExitCode.ok : ExitCode.failed;
  },
});

function findRun(store: GaltStore, requested: string | undefined, path: string): RunInfo {
  const runId = requested ?? latestRunId(store);
  if (runId === null) {
    throw new CliError(
      `database file ${path} contains no recorded events; record a run with 'galt run' first`,
      ExitCode.usage,
    );
  }
  const run = store.getRun(runId);
  if (run === null) {
    throw new CliError(
      `run '${runId}' not found in ${path}; pass --run with an id from 'galt run' output`,
      ExitCode.usage,
    );
  }
  return run;
}
