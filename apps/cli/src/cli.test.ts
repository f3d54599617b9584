import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { defineCommand, eraseCommand } from './command.js';
import { CliError, ExitCode } from './exit-codes.js';
import { createBufferedIo } from './io.js';
import { flagOption, integerOption } from './options.js';

class CodedError extends Error {
  readonly code: string;
  readonly remedy: string;

  constructor(code: string, message: string, remedy: string) {
    super(message);
    this.code = code;
    this.remedy = remedy;
  }
}

const commands = [
  eraseCommand(
    defineCommand({
      name: 'count',
      summary: 'Counts to N.',
      options: {
        to: integerOption({ description: 'last number', min: 1, max: 10, default: 3 }),
        json: flagOption({ description: 'print JSON' }),
      },
      examples: ['galt count --to 5'],
      async execute(values, io) {
        io.stdout.write(values.json ? `${JSON.stringify({ to: values.to })}\n` : `${values.to}\n`);
        return ExitCode.ok;
      },
    }),
  ),
  eraseCommand(
    defineCommand({
      name: 'fail check',
      summary: 'Fails a check.',
      options: {},
      async execute() {
        throw new CliError('chain broken at seq 4', ExitCode.failed);
      },
    }),
  ),
  eraseCommand(
    defineCommand({
      name: 'fail missing',
      summary: 'Fails on a missing file.',
      options: {},
      async execute() {
        throw new CodedError('database_unreadable', 'x.db is damaged', 'Restore it from a copy.');
      },
    }),
  ),
  eraseCommand(
    defineCommand({
      name: 'fail crash',
      summary: 'Throws a plain error.',
      options: {},
      async execute() {
        throw new TypeError('boom');
      },
    }),
  ),
];

async function run(argv: string[], env: Record<string, string> = {}) {
  const io = createBufferedIo({ env });
  const code = await runCli(argv, io, commands);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

describe('runCli', () => {
  it('runs a command with parsed options', async () => {
    const result = await run(['count', '--to', '5', '--json']);
    expect(result.code).toBe(ExitCode.ok);
    expect(JSON.parse(result.stdout)).toEqual({ to: 5 });
    expect(result.stderr).toBe('');
  });

  it('prints command help with options, defaults and examples', async () => {
    const result = await run(['count', '--help']);
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toContain('Usage: galt count [options]');
    expect(result.stdout).toMatch(/--to N\s+last number \(default 3\)/);
    expect(result.stdout).toContain('--config FILE');
    expect(result.stdout).toContain('galt count --to 5');
  });

  it('lists commands for help and exits 2 without arguments', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(ExitCode.ok);
    expect(help.stdout).toContain('fail check');
    const empty = await run([]);
    expect(empty.code).toBe(ExitCode.usage);
    expect(empty.stderr).toContain('Commands:');
  });

  it('lists a group and rejects an unknown name in it', async () => {
    const help = await run(['fail', '--help']);
    expect(help.code).toBe(ExitCode.ok);
    expect(help.stdout).toContain('galt fail <name>');
    expect(help.stdout).not.toContain('count');
    const unknown = await run(['fail', 'nothing']);
    expect(unknown.code).toBe(ExitCode.usage);
    expect(unknown.stderr).toContain("unknown name 'nothing'");
  });

  it('rejects an unknown command', async () => {
    const result = await run(['cuont']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain("unknown command 'cuont'");
  });

  it('exits 2 on an invalid option', async () => {
    const result = await run(['count', '--to', '11']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('--to:');
  });

  it('exits with the code of a CliError', async () => {
    const result = await run(['fail', 'check']);
    expect(result.code).toBe(ExitCode.failed);
    expect(result.stderr).toBe('galt fail check: chain broken at seq 4\n');
  });

  it('maps a usage error code to exit 2 and prints the remedy', async () => {
    const result = await run(['fail', 'missing']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('failed (database_unreadable): x.db is damaged');
    expect(result.stderr).toContain('Restore it from a copy.');
    expect(result.stderr).not.toContain('    at ');
  });

  it('hides the stack trace unless GALT_DEBUG=1', async () => {
    const plain = await run(['fail', 'crash']);
    expect(plain.code).toBe(ExitCode.failed);
    expect(plain.stderr).toContain('galt fail crash failed: boom');
    expect(plain.stderr).not.toContain('    at ');
    const debug = await run(['fail', 'crash'], { GALT_DEBUG: '1' });
    expect(debug.stderr).toContain('    at ');
  });
});
