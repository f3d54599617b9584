import type { AnyCommand } from './command.js';
import type { OptionDefinition } from './options.js';

const HELP_OPTION_LINES: [string, string][] = [
  ['--config FILE', 'JSON file of option values keyed by long option name; flags override it'],
  ['-h, --help', 'show this help and exit'],
];

const EXIT_CODE_LINES =
  'Exit codes: 0 ok, 1 check or operation failed, 2 invalid usage or input, 130 run interrupted.';

function optionLabel(name: string, definition: OptionDefinition<unknown>): string {
  return definition.placeholder === null ? `--${name}` : `--${name} ${definition.placeholder}`;
}

function optionText(definition: OptionDefinition<unknown>): string {
  const notes: string[] = [];
  if (definition.defaultText !== undefined) notes.push(`default ${definition.defaultText}`);
  if (definition.env !== undefined) notes.push(`env ${definition.env}`);
  return notes.length === 0
    ? definition.description
    : `${definition.description} (${notes.join(', ')})`;
}

function alignPairs(pairs: readonly [string, string][]): string[] {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`);
}

/** Formats the `--help` text of one command. */
export function formatCommandHelp(command: AnyCommand): string {
  const optionPairs: [string, string][] = Object.entries(command.options).map(
    ([name, definition]) => [optionLabel(name, definition), optionText(definition)],
  );
  const lines = [`Usage: galt ${command.name} [options]`, '', command.summary];
  if (command.description !== undefined) lines.push('', command.description);
  lines.push('', 'Options:', ...alignPairs([...optionPairs, ...HELP_OPTION_LINES]));
  if (command.examples !== undefined && command.examples.length > 0) {
    lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`));
  }
  lines.push('', EXIT_CODE_LINES);
  return `${lines.join('\n')}\n`;
}

/** Formats the list of commands, optionally only those under a group word such as `bench`. */
export function formatCommandList(commands: readonly AnyCommand[], group?: string): string {
  const listed =
    group === undefined ? commands : commands.filter((c) => c.name.startsWith(`${group} `));
  const usage = group === undefined ? 'galt <command> [options]' : `galt ${group} <name> [options]`;
  const lines = [
    `Usage: ${usage}`,
    '',
    'Commands:',
    ...alignPairs(listed.map((command) => [command.name, command.summary])),
    '',
    `Run 'galt <command> --help' for a command's options.`,
    EXIT_CODE_LINES,
  ];
  return `${lines.join('\n')}\n`;
}
