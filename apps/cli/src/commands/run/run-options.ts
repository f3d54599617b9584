import { DEFAULT_PORT } from '@galt/server';
import { choiceOption, flagOption, integerOption, stringOption } from '../../options.js';

/**
 * Default tick count of `galt run`: long enough for memories to be admitted, recalled and
 * written into the model, and about 15 to 25 seconds of ticking on a shared 2-core machine.
 */
export const DEFAULT_TICKS = 200;
/** Default seed, so two plain `npm start` runs produce the same world. */
export const DEFAULT_SEED = 7;
/** Pause between ticks with `--serve`, so a live world does not spin a core and flood the db. */
export const DEFAULT_SERVE_TICK_MS = 250;
/** Upper bound on `--ticks`; larger runs belong in a benchmark, not the demo. */
const MAX_TICKS = 10_000_000;

/** Options of `galt run`. */
export const runOptions = {
  ticks: integerOption({
    description:
      'ticks to run at full speed (with --serve, paced ticking follows until interrupted)',
    min: 1,
    max: MAX_TICKS,
    default: DEFAULT_TICKS,
  }),
  db: stringOption({
    description: 'SQLite database file (an existing file gets a new run appended)',
    placeholder: 'PATH',
    default: './galt.db',
  }),
  port: integerOption({
    description: 'TCP port of the event server on 127.0.0.1, or 0 for a free port',
    min: 0,
    max: 65_535,
    default: DEFAULT_PORT,
  }),
  seed: integerOption({
    description: 'seed of every random stream in the world',
    min: 0,
    max: 2 ** 31 - 1,
    default: DEFAULT_SEED,
  }),
  ep: choiceOption({
    description: 'ONNX execution provider (cuda falls back to cpu and prints why)',
    choices: ['cpu', 'cuda'],
    default: 'cpu',
  }),
  data: stringOption({
    description:
      'curriculum directory (default: ../shared/data/galt-curriculum from the repo root)',
    placeholder: 'DIR',
  }),
  token: stringOption({
    description: 'token that event clients must present (random when absent)',
    env: 'GALT_TOKEN',
  }),
  serve: flagOption({
    description: 'keep ticking and serving events until SIGINT or SIGTERM',
  }),
  'tick-ms': integerOption({
    description: 'milliseconds between ticks with --serve',
    min: 0,
    max: 60_000,
    default: DEFAULT_SERVE_TICK_MS,
  }),
  json: flagOption({ description: 'print the summary as one JSON object on stdout' }),
};
