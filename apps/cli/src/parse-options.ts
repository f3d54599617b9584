import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CliError, ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import type { OptionDefinition, OptionDefinitions, OptionValues } from './options.js';

/** Result of reading a command line: either a help request or validated option values. */
export type ParsedOptions<O extends OptionDefinitions> =
  | { readonly help: true }
  | { readonly help: false; readonly values: OptionValues<O> };

type Source = 'flag' | 'env' | 'config' | 'default';

/**
 * Reads `argv` against the option definitions, merges values from `--config FILE` and the
 * environment, and validates each with its schema. Precedence: flag, then environment variable,
 * then config file, then default. Throws a usage {@link CliError} listing every invalid option.
 */
export function parseCommandOptions<O extends OptionDefinitions>(
  commandName: string,
  definitions: O,
  argv: readonly string[],
  io: CliIo,
): ParsedOptions<O> {
  const flags = readFlags(commandName, definitions, argv);
  if (flags.help === true) return { help: true };

  const configPath = typeof flags.config === 'string' ? flags.config : undefined;
  const config = configPath === undefined ? {} : readConfigFile(definitions, configPath, io);
  const values: Record<string, unknown> = {};
  const problems: string[] = [];

  for (const [name, definition] of Object.entries(definitions)) {
    const picked = pickValue(definition, flags[name], config[name], io);
    if ('problem' in picked) {
      problems.push(`--${name}: ${picked.problem}`);
      continue;
    }
    const result = definition.schema.safeParse(picked.value);
    if (result.success) values[name] = result.data;
    else problems.push(`--${name}: ${describeIssue(result.error, picked.source, configPath)}`);
  }

  if (problems.length > 0) {
    throw new CliError(
      `invalid options for 'galt ${commandName}':\n  ${problems.join('\n  ')}\n` +
        `Run 'galt ${commandName} --help' for the valid values.`,
      ExitCode.usage,
    );
  }
  return { help: false, values: values as OptionValues<O> };
}

function readFlags(
  commandName: string,
  definitions: OptionDefinitions,
  argv: readonly string[],
): Record<string, string | boolean | undefined> {
  const parseArgsOptions: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    config: { type: 'string' },
  };
  for (const [name, definition] of Object.entries(definitions)) {
    parseArgsOptions[name] = { type: definition.flagType };
  }
  try {
    const { values } = parseArgs({
      args: joinNegativeValues(argv, parseArgsOptions),
      options: parseArgsOptions,
      strict: true,
      allowPositionals: false,
    });
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    // parseArgs throws a TypeError with an ERR_PARSE_ARGS_* code for unknown or malformed flags.
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `${message}\nRun 'galt ${commandName} --help' for the options.`,
      ExitCode.usage,
    );
  }
}

/**
 * Joins `--name -5` into `--name=-5` for options that take a value. parseArgs reads a value that
 * starts with a dash as a missing argument, so without this the option's own check never runs.
 */
function joinNegativeValues(
  argv: readonly string[],
  options: Record<string, { type: 'string' | 'boolean' }>,
): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    const next = argv[index + 1];
    const name = argument.startsWith('--') ? argument.slice(2) : '';
    const takesValue = options[name]?.type === 'string';
    if (takesValue && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${argument}=${next}`);
      index += 1;
    } else {
      joined.push(argument);
    }
  }
  return joined;
}

function pickValue(
  definition: OptionDefinition<unknown>,
  flagValue: string | boolean | undefined,
  configValue: unknown,
  io: CliIo,
): { value: unknown; source: Source } | { problem: string } {
  if (flagValue !== undefined) return convert(definition, flagValue, 'flag');
  const envText = definition.env === undefined ? undefined : io.env[definition.env];
  if (envText !== undefined && envText !== '') {
    const converted = convert(definition, envText, 'env');
    if ('problem' in converted) return { problem: `${definition.env}: ${converted.problem}` };
    return converted;
  }
  if (configValue !== undefined) return { value: configValue, source: 'config' };
  return { value: undefined, source: 'default' };
}

function convert(
  definition: OptionDefinition<unknown>,
  raw: string | boolean,
  source: Source,
): { value: unknown; source: Source } | { problem: string } {
  if (typeof raw === 'boolean') return { value: raw, source };
  try {
    return { value: definition.convertFlag(raw), source };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

function describeIssue(error: z.ZodError, source: Source, configPath: string | undefined): string {
  const message = error.issues.map((issue) => issue.message).join('; ');
  return source === 'config' ? `${message} (in config file ${configPath})` : message;
}

/**
 * Reads a JSON config file whose keys are long option names. Unknown keys are rejected, so a
 * misspelt option in the file fails loudly instead of being ignored.
 */
export function readConfigFile(
  definitions: OptionDefinitions,
  path: string,
  io: CliIo,
): Record<string, unknown> {
  const fullPath = resolve(io.cwd, path);
  let text: string;
  try {
    text = readFileSync(fullPath, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot read config file ${fullPath}: ${reason}`, ExitCode.usage);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`config file ${fullPath} is not valid JSON: ${reason}`, ExitCode.usage);
  }

  const shape = z.strictObject(
    Object.fromEntries(Object.keys(definitions).map((name) => [name, z.unknown().optional()])),
  );
  const result = shape.safeParse(parsed);
  if (!result.success) {
    const known = Object.keys(definitions).join(', ');
    const details = result.error.issues.map((issue) => issue.message).join('; ');
    throw new CliError(
      `config file ${fullPath} is invalid: ${details}. ` +
        `It must be a JSON object whose keys are among: ${known}.`,
      ExitCode.usage,
    );
  }
  return result.data;
}
