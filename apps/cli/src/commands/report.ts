import { join, resolve } from 'node:path';
import { renderRunReport } from '@galt/inspector';
import type { LedgerRecord } from '@galt/protocol';
import { type GaltStore, openStore } from '@galt/store';
import { defineCommand } from '../command.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { flagOption, stringOption } from '../options.js';
import { ensureOutputDirectory, writeOutputFile } from '../output-files.js';
import { resolveExistingDatabase } from './database-file.js';
import { note } from './output.js';
import { latestRunId, readRunEvents } from './replay/read-run-events.js';

/** Ledger records read per query while collecting one run's records. */
const LEDGER_PAGE = 5_000;
/** File name of the report inside `--out`. */
export const REPORT_FILE = 'index.html';

/** Reads the ledger records from the run's `run_started` record up to the next run's. */
function readRunLedger(store: GaltStore, runId: string): LedgerRecord[] {
  const records: LedgerRecord[] = [];
  let inRun = false;
  let fromSeq = 1;
  for (;;) {
    const page = store.ledger.read(fromSeq, LEDGER_PAGE);
    for (const record of page) {
      if (record.kind === 'run_started') {
        if (inRun) return records;
        inRun = record.payload.runId === runId;
      }
      if (inRun) records.push(record);
    }
    const last = page.at(-1);
    if (page.length < LEDGER_PAGE || last === undefined) return records;
    fromSeq = last.seq + 1;
  }
}

/** `galt report`: writes a self-contained HTML report of one run. */
export const reportCommand = defineCommand({
  name: 'report',
  summary: 'Write a self-contained HTML report of a run.',
  description:
    'Reads one run from the database and writes DIR/index.html: a summary with the ledger\n' +
    'verification, memory decisions by deciding layer, the updater constraint plots (C, λ, ρ\n' +
    'with commits and rollbacks) and the list of rollbacks. The file loads nothing else.',
  options: {
    db: stringOption({
      description: 'SQLite database file written by galt run',
      placeholder: 'PATH',
      default: './galt.db',
    }),
    out: stringOption({
      description: 'directory to write index.html into (created when missing)',
      placeholder: 'DIR',
      default: './galt-report',
    }),
    run: stringOption({
      description: 'run id to report (default: the newest run)',
      placeholder: 'ID',
    }),
    json: flagOption({ description: 'print the written path as one JSON object' }),
  },
  examples: ['galt report --db ./galt.db --out ./report'],
  async execute(values, io) {
    const path = resolveExistingDatabase(values.db, io);
    const store = openStore(path, { readOnly: true });
    let html: string;
    try {
      html = buildReport(store, values.run, path);
    } finally {
      store.close();
    }
    const directory = resolve(io.cwd, values.out);
    ensureOutputDirectory(directory, '--out');
    const file = join(directory, REPORT_FILE);
    writeOutputFile(file, html, '--out');
    if (values.json) io.stdout.write(`${JSON.stringify({ report: file })}\n`);
    else note(io, `report written to ${file}`);
    return ExitCode.ok;
  },
});

function buildReport(store: GaltStore, requested: string | undefined, path: string): string {
  const runId = requested ?? latestRunId(store);
  const run = runId === null ? null : store.getRun(runId);
  if (runId === null || run === null || run === undefined) {
    const missing =
      runId === null ? `database file ${path} contains no runs` : `run '${runId}' not found`;
    throw new CliError(`${missing}; write one with 'galt run --db ${path}'`, ExitCode.usage);
  }
  return renderRunReport({
    run,
    events: readRunEvents(store, runId),
    ledger: readRunLedger(store, runId),
    verification: store.ledger.verify(),
  });
}
