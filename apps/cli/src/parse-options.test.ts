import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, ExitCode } from './exit-codes.js';
import { createBufferedIo } from './io.js';
import {
  choiceOption,
  flagOption,
  integerListOption,
  integerOption,
  numberOption,
  stringOption,
} from './options.js';
import { parseCommandOptions } from './parse-options.js';

const definitions = {
  ticks: integerOption({ description: 'ticks to run', min: 1, max: 1000, default: 300 }),
  seed: integerOption({ description: 'seed', min: 0, max: 2 ** 31 }),
  rate: numberOption({ description: 'rate', min: 0, max: 1, default: 0.5 }),
  token: stringOption({ description: 'token', env: 'GALT_TOKEN' }),
  ep: choiceOption({ description: 'provider', choices: ['cpu', 'cuda'], default: 'cpu' }),
  seeds: integerListOption({ description: 'seeds', min: 0, max: 100 }),
  json: flagOption({ description: 'print JSON' }),
};

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'galt-cli-options-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function parse(argv: string[], env: Record<string, string> = {}) {
  return parseCommandOptions('run', definitions, argv, createBufferedIo({ env, cwd: directory }));
}

function usageMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.usage);
    return (error as CliError).message;
  }
  throw new Error('expected a usage error');
}

describe('parseCommandOptions', () => {
  it('applies defaults when nothing is given', () => {
    const parsed = parse([]);
    expect(parsed).toEqual({
      help: false,
      values: {
        ticks: 300,
        seed: undefined,
        rate: 0.5,
        token: undefined,
        ep: 'cpu',
        seeds: undefined,
        json: false,
      },
    });
  });

  it('converts flag text to typed values', () => {
    const parsed = parse([
      '--ticks',
      '20',
      '--seed=7',
      '--rate',
      '0.25',
      '--ep',
      'cuda',
      '--seeds',
      '1,2,3',
      '--json',
    ]);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.values.ticks).toBe(20);
    expect(parsed.values.seed).toBe(7);
    expect(parsed.values.rate).toBe(0.25);
    expect(parsed.values.ep).toBe('cuda');
    expect(parsed.values.seeds).toEqual([1, 2, 3]);
    expect(parsed.values.json).toBe(true);
  });

  it('recognises help', () => {
    expect(parse(['--ticks', '5', '--help'])).toEqual({ help: true });
    expect(parse(['-h'])).toEqual({ help: true });
  });

  it('rejects text where an integer belongs', () => {
    const message = usageMessage(() => parse(['--ticks', '12abc']));
    expect(message).toContain("--ticks: expected an integer, got '12abc'");
    expect(message).toContain('galt run --help');
  });

  it('rejects values out of range', () => {
    const message = usageMessage(() => parse(['--ticks', '0', '--rate', '2']));
    expect(message).toContain('--ticks:');
    expect(message).toContain('--rate:');
  });

  it('checks a negative value given as a separate argument', () => {
    const message = usageMessage(() => parse(['--ticks', '-5']));
    expect(message).toContain('--ticks:');
    expect(message).not.toContain('ambiguous');
  });

  it('rejects an unknown choice', () => {
    expect(usageMessage(() => parse(['--ep', 'tpu']))).toContain('--ep:');
  });

  it('rejects unknown flags and stray words', () => {
    expect(usageMessage(() => parse(['--tciks', '3']))).toContain('--tciks');
    expect(usageMessage(() => parse(['extra']))).toContain('extra');
  });

  it('reads the environment variable', () => {
    const parsed = parse([], { GALT_TOKEN: 'from-env' });
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.values.token).toBe('from-env');
  });

  it('prefers the flag over the environment', () => {
    const parsed = parse(['--token', 'from-flag'], { GALT_TOKEN: 'from-env' });
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.values.token).toBe('from-flag');
  });
});

describe('config files', () => {
  function writeConfig(content: string): string {
    const path = join(directory, 'config.json');
    writeFileSync(path, content);
    return path;
  }

  it('supplies values that flags override', () => {
    const path = writeConfig(JSON.stringify({ ticks: 40, seed: 9, ep: 'cuda' }));
    const parsed = parse(['--config', path, '--ticks', '50']);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.values.ticks).toBe(50);
    expect(parsed.values.seed).toBe(9);
    expect(parsed.values.ep).toBe('cuda');
  });

  it('resolves a relative path against the working directory', () => {
    writeConfig(JSON.stringify({ ticks: 41 }));
    const parsed = parse(['--config', 'config.json']);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.values.ticks).toBe(41);
  });

  it('names the file when a value has the wrong type', () => {
    const path = writeConfig(JSON.stringify({ ticks: '40' }));
    const message = usageMessage(() => parse(['--config', path]));
    expect(message).toContain('--ticks:');
    expect(message).toContain(path);
  });

  it('rejects unknown keys', () => {
    const path = writeConfig(JSON.stringify({ tick: 40 }));
    const message = usageMessage(() => parse(['--config', path]));
    expect(message).toContain('tick');
    expect(message).toContain('ticks, seed');
  });

  it('rejects broken JSON', () => {
    const path = writeConfig('{"ticks": ');
    expect(usageMessage(() => parse(['--config', path]))).toContain('not valid JSON');
  });

  it('rejects a JSON value that is not an object', () => {
    const path = writeConfig('[1, 2]');
    expect(usageMessage(() => parse(['--config', path]))).toContain('must be a JSON object');
  });

  it('reports a missing file', () => {
    const message = usageMessage(() => parse(['--config', join(directory, 'absent.json')]));
    expect(message).toContain('cannot read config file');
  });
});
