import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import type { OptionDefinitions, OptionValues } from './options.js';

/** One `galt` command: its words, help text, options and the work it does. */
export interface Command<O extends OptionDefinitions = OptionDefinitions> {
  /** The words that select it, such as `run` or `eval gate`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs shown under the usage line of the command's help. */
  readonly description?: string;
  readonly options: O;
  /** Example command lines for the help text. */
  readonly examples?: readonly string[];
  execute(values: OptionValues<O>, io: CliIo): Promise<ExitCode>;
}

/** Declares a command; the identity function exists so option types flow into `execute`. */
export function defineCommand<O extends OptionDefinitions>(command: Command<O>): Command<O> {
  return command;
}

/** A command with its option types erased, for the command table. */
export type AnyCommand = Command<OptionDefinitions>;

/** Erases a command's option types so commands of different shapes share one table. */
export function eraseCommand<O extends OptionDefinitions>(command: Command<O>): AnyCommand {
  return command as unknown as AnyCommand;
}
