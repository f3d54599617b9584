import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { keepTickObjectsYoung } from '../gc-tuning.js';
import {
  choiceOption,
  flagOption,
  integerListOption,
  integerOption,
  stringOption,
} from '../options.js';
import { note, printRows } from './output.js';
import { writeRuntimePlot } from './runtime-plot.js';

/** Agent counts measured by default: a small scene, a busy server, a stress case. */
const DEFAULT_AGENT_COUNTS = [100, 1_000, 10_000];
/** Measured ticks per agent count by default: enough ticks for a stable p99. */
const DEFAULT_BENCH_TICKS = 50;

/** `galt bench runtime`: batched agent decisions per second and tick time. */
export const benchRuntimeCommand = defineCommand({
  name: 'bench runtime',
  summary: 'Measure batched agent decisions per second and p50/p99 tick time.',
  description:
    'Every agent hears one utterance per tick; the model runs once per tick for all agents;\n' +
    'safety rules screen every turn and memory facts are adjudicated (and stored, with\n' +
    '--storage sqlite). One row per agent count. The model is the shipped typed-channel\n' +
    'model (models/typed-channel.onnx) unless --model linear picks a random linear model.',
  options: {
    agents: integerListOption({
      description: 'agent counts to measure, comma-separated',
      min: 1,
      max: 1_000_000,
      default: DEFAULT_AGENT_COUNTS,
    }),
    ticks: integerOption({
      description: 'measured ticks per agent count',
      min: 1,
      max: 1_000_000,
      default: DEFAULT_BENCH_TICKS,
    }),
    storage: choiceOption({
      description: 'where events and memories go: SQLite in memory, or nowhere',
      choices: ['sqlite', 'none'],
      default: 'sqlite',
    }),
    model: choiceOption({
      description:
        'decision model: the shipped ONNX model, or a random linear model of 64 features',
      choices: ['shipped', 'linear'],
      default: 'shipped',
    }),
    feed: flagOption({
      description: 'attach a world feed as the event server does, which keeps recent events',
    }),
    json: flagOption({ description: 'print the rows as one JSON object' }),
    plot: stringOption({
      description: 'also write decisions per second against agents as an SVG file',
      placeholder: 'FILE.svg',
    }),
  },
  examples: [
    'galt bench runtime',
    'galt bench runtime --agents 1000 --ticks 200 --json',
    'galt bench runtime --agents 10,100,1000 --plot runtime.svg',
  ],
  async execute(values, io) {
    keepTickObjectsYoung();
    const { runRuntimeBenchmark } = await import('@galt/runtime');
    const shipped = values.model === 'shipped' ? await openShippedModel() : undefined;
    const rows = [];
    try {
      for (const agents of values.agents ?? DEFAULT_AGENT_COUNTS) {
        note(io, `running the runtime benchmark with ${agents} agents...`);
        const options = {
          agents,
          ticks: values.ticks,
          storage: values.storage,
          worldFeed: values.feed === true,
        };
        const row = await runRuntimeBenchmark(
          shipped === undefined ? options : { ...options, ...shipped },
        );
        rows.push({ ...row, model: values.model, feed: values.feed === true });
      }
    } finally {
      await shipped?.model.close();
    }
    if (values.plot !== undefined) writeRuntimePlot(rows, values.plot, io);
    printRows(io, 'runtime', rows, values.json);
    return ExitCode.ok;
  },
});

/** Opens the shipped model and names the head the benchmark policy samples its action from. */
async function openShippedModel() {
  const { logitsName, openShippedDecisionModel } = await import('@galt/village');
  return { model: await openShippedDecisionModel(), taskHead: logitsName('action') };
}
