import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { ExitCode } from '../exit-codes.js';
import { createBufferedIo } from '../io.js';
import { allCommands } from './index.js';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'galt-cli-commands-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function galt(...argv: string[]) {
  const io = createBufferedIo({ cwd: directory });
  const code = await runCli(argv, io, allCommands);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

function parseJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('every command', () => {
  it('prints help with its usage line', async () => {
    for (const command of allCommands) {
      const result = await galt(...command.name.split(' '), '--help');
      expect(result.code, command.name).toBe(ExitCode.ok);
      expect(result.stdout, command.name).toContain(`Usage: galt ${command.name} [options]`);
    }
  });
});

describe('galt doctor', () => {
  it('reports that the CPU provider loads', async () => {
    const result = await galt('doctor', '--json');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = parseJson(result.stdout) as { providers: { name: string; loads: boolean }[] };
    expect(report.providers.find((provider) => provider.name === 'cpu')?.loads).toBe(true);
  });
});

describe('galt eval gate', () => {
  it('scores the validation split by default', async () => {
    const result = await galt('eval', 'gate', '--json');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = parseJson(result.stdout);
    expect(report.rows).toBeGreaterThan(0);
    expect(report.actionAccuracy).toBeGreaterThan(0);
  });

  it('exits 2 for a missing data file', async () => {
    const result = await galt('eval', 'gate', '--data', 'absent.jsonl');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('absent.jsonl not found');
  });
});

describe('galt train', () => {
  it('trains and measures without writing files', async () => {
    const result = await galt('train', '--measure-only', '--steps', '3', '--json');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = parseJson(result.stdout);
    expect(report.files).toBeNull();
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Array.isArray(report.validation)).toBe(true);
  });
});

describe('galt bench', () => {
  it('prints store rows as JSON', async () => {
    const result = await galt('bench', 'store', '--records', '200', '--json');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = parseJson(result.stdout) as { name: string; rows: unknown[] };
    expect(report.name).toBe('store');
    expect(report.rows.length).toBeGreaterThan(0);
  });

  it('prints one runtime row per agent count', async () => {
    const result = await galt('bench', 'runtime', '--agents', '5,10', '--ticks', '2', '--json');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = parseJson(result.stdout) as { rows: { agents: number }[] };
    expect(report.rows.map((row) => row.agents)).toEqual([5, 10]);
  });

  it('prints a core table', async () => {
    const result = await galt('bench', 'core', '--scale', '0.01');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toContain('opsPerSecond');
  });

  it('exits 2 for an unknown continual method', async () => {
    const result = await galt('bench', 'continual', '--quick', '--method', 'galt,nope');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('invalid_config');
    expect(result.stderr).toContain('methods.1');
  });

  it('reads options from a config file', async () => {
    writeFileSync(join(directory, 'bench.json'), JSON.stringify({ agents: [3], ticks: 1 }));
    const result = await galt('bench', 'runtime', '--config', 'bench.json', '--json');
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = parseJson(result.stdout) as { rows: { agents: number; ticks: number }[] };
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]?.agents).toBe(3);
  });
});

describe('usage errors', () => {
  it('eval gate exits 2 when no row can be scored', async () => {
    writeFileSync(join(directory, 'garbage.jsonl'), 'not json\n{"stream": 3}\n');
    const result = await galt('eval', 'gate', '--data', 'garbage.jsonl');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('could be scored');
  });

  it('prints a JSON error on stdout when --json is given', async () => {
    const result = await galt('audit', '--db', 'missing.db', '--json');
    expect(result.code).toBe(ExitCode.usage);
    const payload = parseJson(result.stdout);
    expect(payload['ok']).toBe(false);
    const error = payload['error'] as Record<string, unknown>;
    expect(error['code']).toBe('invalid_input');
    expect(String(error['message'])).toContain('not found');
  });

  it('run names the missing directory of --db and creates nothing', async () => {
    const result = await galt('run', '--db', 'no-such-dir/x.db', '--port', '0', '--ticks', '1');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('does not exist; create it');
  });
});
