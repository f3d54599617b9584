import { runStoreBenchmark } from '@galt/store';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { flagOption, integerOption } from '../options.js';
import { note, printRows } from './output.js';

/** `galt bench store`: ledger append and audit throughput on a fresh temporary database. */
export const benchStoreCommand = defineCommand({
  name: 'bench store',
  summary: 'Measure durable ledger appends, event appends, memory writes and verification.',
  description:
    'Appends hash-chained ledger records to a new database in the temp directory with\n' +
    'synchronous=FULL, one per transaction and in batches, appends stream events and batched\n' +
    'memory writes, then verifies the chain.',
  options: {
    records: integerOption({
      description: 'ledger records per measurement (store default 100000)',
      min: 100,
      max: 10_000_000,
    }),
    json: flagOption({ description: 'print the rows as one JSON object' }),
  },
  examples: ['galt bench store', 'galt bench store --records 20000 --json'],
  async execute(values, io) {
    note(io, 'running the store benchmark...');
    const rows = runStoreBenchmark(values.records === undefined ? {} : { records: values.records });
    printRows(io, 'store', rows, values.json);
    return ExitCode.ok;
  },
});
