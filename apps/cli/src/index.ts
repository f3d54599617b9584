export { runCli, selectCommand } from './cli.js';
export { type AnyCommand, type Command, defineCommand, eraseCommand } from './command.js';
export { allCommands } from './commands/index.js';
export { runOptions } from './commands/run/run-options.js';
export { type RunSummary, RunSummarySchema } from './commands/run/run-summary.js';
export {
  type RunEndpoint,
  type RunHooks,
  type RunResult,
  type RunValues,
  runWorld,
} from './commands/run/run-world.js';
export { CliError, ExitCode } from './exit-codes.js';
export { formatCommandHelp, formatCommandList } from './help.js';
export {
  type BufferedIoOptions,
  BufferedOutput,
  type CliIo,
  createBufferedIo,
  type TextOutput,
} from './io.js';
export {
  choiceOption,
  flagOption,
  integerListOption,
  integerOption,
  numberOption,
  type OptionDefinition,
  type OptionDefinitions,
  type OptionValues,
  stringListOption,
  stringOption,
} from './options.js';
export { type ParsedOptions, parseCommandOptions, readConfigFile } from './parse-options.js';
export { ProgressDisplay, type ProgressOptions } from './progress.js';
export {
  createStderrLogger,
  logLevelFromEnv,
  MAX_REPEATS_PRINTED,
  type StderrLogger,
} from './stderr-logger.js';
export {
  flattenObject,
  formatCell,
  formatSummary,
  formatTable,
  type TableColumn,
} from './table.js';
