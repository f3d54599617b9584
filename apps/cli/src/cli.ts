import { ERROR_CODES, type ErrorCode, formatIssues, type ValidationIssue } from '@galt/protocol';
import type { AnyCommand } from './command.js';
import { CliError, ExitCode } from './exit-codes.js';
import { formatCommandHelp, formatCommandList } from './help.js';
import type { CliIo } from './io.js';
import { parseCommandOptions } from './parse-options.js';

/** Error codes that mean the user must change the input, so the CLI exits with code 2. */
const USAGE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid_input',
  'invalid_config',
  'malformed_json',
  'not_found',
  'database_unreadable',
  'unauthorized',
  'model_mismatch',
]);

/** Splits argv into the selected command and the remaining arguments, or null when none fits. */
export function selectCommand(
  commands: readonly AnyCommand[],
  argv: readonly string[],
): { command: AnyCommand; rest: string[] } | null {
  let best: { command: AnyCommand; rest: string[] } | null = null;
  for (const command of commands) {
    const words = command.name.split(' ');
    const matches = words.every((word, index) => argv[index] === word);
    if (matches && (best === null || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

function isGroupWord(commands: readonly AnyCommand[], word: string | undefined): boolean {
  return word !== undefined && commands.some((command) => command.name.startsWith(`${word} `));
}

/**
 * Runs the `galt` command line against `commands` and returns the exit code. Every failure is
 * printed to stderr as one message; the stack trace is printed only when GALT_DEBUG=1.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly AnyCommand[],
): Promise<ExitCode> {
  const first = argv[0];
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const output = first === undefined ? io.stderr : io.stdout;
    output.write(formatCommandList(commands));
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }

  const selected = selectCommand(commands, argv);
  if (selected === null) return reportUnknownCommand(commands, argv, io);

  const { command, rest } = selected;
  try {
    const parsed = parseCommandOptions(command.name, command.options, rest, io);
    if (parsed.help) {
      io.stdout.write(formatCommandHelp(command));
      return ExitCode.ok;
    }
    return await command.execute(parsed.values, io);
  } catch (error) {
    if (rest.includes('--json')) writeJsonError(error, io);
    return reportError(command.name, error, io);
  }
}

function reportUnknownCommand(
  commands: readonly AnyCommand[],
  argv: readonly string[],
  io: CliIo,
): ExitCode {
  const [first, second] = argv;
  if (isGroupWord(commands, first)) {
    if (second === '--help' || second === '-h') {
      io.stdout.write(formatCommandList(commands, first));
      return ExitCode.ok;
    }
    const problem = second === undefined ? 'a name is missing' : `unknown name '${second}'`;
    io.stderr.write(`galt ${first}: ${problem}.\n${formatCommandList(commands, first)}`);
    return ExitCode.usage;
  }
  io.stderr.write(`galt: unknown command '${first}'.\n${formatCommandList(commands)}`);
  return ExitCode.usage;
}

/** Returns the shared error `code` of a GaltError or a similar error, or null for other errors. */
function sharedErrorCode(error: unknown): ErrorCode | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const code = (error as { code: unknown }).code;
  return (ERROR_CODES as readonly unknown[]).includes(code) ? (code as ErrorCode) : null;
}

function reportError(commandName: string, error: unknown, io: CliIo): ExitCode {
  if (error instanceof CliError) {
    io.stderr.write(`galt ${commandName}: ${error.message}\n`);
    return error.exitCode;
  }

  const message = error instanceof Error ? error.message : String(error);
  const code = sharedErrorCode(error);
  const remedy = readRemedy(error);
  const label = code === null ? 'failed' : `failed (${code})`;
  io.stderr.write(`galt ${commandName} ${label}: ${message}\n`);
  const issues = readIssues(error);
  if (issues.length > 0) io.stderr.write(`${formatIssues(issues)}\n`);
  if (remedy !== null && !message.includes(remedy)) io.stderr.write(`${remedy}\n`);
  if (io.env.GALT_DEBUG === '1' && error instanceof Error && error.stack !== undefined) {
    io.stderr.write(`${error.stack}\n`);
  } else if (code === null || code === 'internal') {
    io.stderr.write('Set GALT_DEBUG=1 to print the stack trace.\n');
  }
  return code !== null && USAGE_ERROR_CODES.has(code) ? ExitCode.usage : ExitCode.failed;
}

/** Writes the failure as one JSON object on stdout, so `--json` callers always get JSON. */
function writeJsonError(error: unknown, io: CliIo): void {
  const cliCode =
    error instanceof CliError && error.exitCode === ExitCode.usage ? 'invalid_input' : 'internal';
  const code = error instanceof CliError ? cliCode : (sharedErrorCode(error) ?? 'internal');
  const message = error instanceof Error ? error.message : String(error);
  const remedy = readRemedy(error);
  const issues = readIssues(error);
  const payload = {
    ok: false,
    error: {
      code,
      message,
      ...(remedy === null ? {} : { remedy }),
      ...(issues.length === 0 ? {} : { issues }),
    },
  };
  io.stdout.write(`${JSON.stringify(payload)}\n`);
}

function readRemedy(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('remedy' in error)) return null;
  const remedy = (error as { remedy: unknown }).remedy;
  return typeof remedy === 'string' && remedy !== '' ? remedy : null;
}

function readIssues(error: unknown): readonly ValidationIssue[] {
  if (typeof error !== 'object' || error === null || !('issues' in error)) return [];
  const issues = (error as { issues: unknown }).issues;
  return Array.isArray(issues) ? (issues as ValidationIssue[]) : [];
}
