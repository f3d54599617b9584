/** Process exit codes of the `galt` command. */
export const ExitCode = {
  /** The command did what was asked and every check passed. */
  ok: 0,
  /** A check failed (broken hash chain, replay mismatch) or the operation itself failed. */
  failed: 1,
  /** The command line, a config file or an input file is invalid, missing or unreadable. */
  usage: 2,
  /** A run with a fixed tick count was stopped by SIGINT or SIGTERM before its last tick. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one message, without a stack trace, and exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = ExitCode.usage) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
