import { runServerBenchmark, type ServerBenchmarkOptions } from '@galt/server';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { flagOption, integerOption } from '../options.js';
import { note, printRows } from './output.js';

/** `galt bench server`: WebSocket fan-out on loopback. */
export const benchServerCommand = defineCommand({
  name: 'bench server',
  summary: 'Measure WebSocket event fan-out to subscribers on 127.0.0.1.',
  description:
    'Publishes events to an event server on a free loopback port and counts what each\n' +
    'subscriber receives, with sequence gaps and duplicates (both should be 0).',
  options: {
    events: integerOption({
      description: 'events to publish (server default 200000)',
      min: 1,
      max: 100_000_000,
    }),
    subscribers: integerOption({
      description: 'subscribed clients (server default 8)',
      min: 1,
      max: 1_000,
    }),
    batch: integerOption({
      description: 'events appended per step (server default 256)',
      min: 1,
      max: 1_000_000,
    }),
    json: flagOption({ description: 'print the rows as one JSON object' }),
  },
  examples: ['galt bench server', 'galt bench server --events 50000 --subscribers 4 --json'],
  async execute(values, io) {
    const options: ServerBenchmarkOptions = {};
    if (values.events !== undefined) options.events = values.events;
    if (values.subscribers !== undefined) options.subscribers = values.subscribers;
    if (values.batch !== undefined) options.batchSize = values.batch;
    note(io, 'running the server benchmark on 127.0.0.1...');
    const rows = await runServerBenchmark(options);
    printRows(io, 'server', rows, values.json);
    const lost = rows.some((row) => row.gaps > 0 || row.duplicates > 0);
    return lost ? ExitCode.failed : ExitCode.ok;
  },
});
