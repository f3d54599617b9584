import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@galt/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { ExitCode } from '../../exit-codes.js';
import { createBufferedIo } from '../../io.js';
import { allCommands } from '../index.js';

/** Enough ticks for events and ledger records, few enough to keep each run to seconds. */
const SHORT_TICKS = '8';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'galt-cli-run-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function galt(argv: string[], interrupt?: AbortSignal, env: Record<string, string> = {}) {
  const io = createBufferedIo({
    cwd: directory,
    env,
    ...(interrupt === undefined ? {} : { interrupt }),
  });
  const code = await runCli(argv, io, allCommands);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

function parseSummary(stdout: string) {
  return JSON.parse(stdout) as {
    runId: string;
    ticks: number;
    ledger: { records: number; headHash: string };
  };
}

async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('galt run', () => {
  it('prints one JSON summary and the event endpoint', async () => {
    const result = await galt([
      'run',
      '--ticks',
      SHORT_TICKS,
      '--db',
      'a.db',
      '--port',
      '0',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const summary = parseSummary(result.stdout);
    expect(summary.ticks).toBe(Number(SHORT_TICKS));
    expect(summary.ledger.records).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/events: ws:\/\/127\.0\.0\.1:\d+\/events/);
    expect(result.stderr).toMatch(/token: {2}\S+/);
  });

  it('takes the token from GALT_TOKEN', async () => {
    const argv = ['run', '--ticks', '1', '--db', 't.db', '--port', '0', '--json'];
    const result = await galt(argv, undefined, { GALT_TOKEN: 'token-from-env' });
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stderr).toContain('token:  token-from-env');
    expect(result.stderr).toContain('the token has 14 characters');
  });

  it('accepts a long token without a warning', async () => {
    const argv = ['run', '--ticks', '1', '--db', 'long.db', '--port', '0', '--json'];
    const result = await galt([...argv, '--token', 'a-long-enough-token-value']);
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stderr).not.toContain('warning: the token');
  });

  it('adds a second run to an existing file', async () => {
    const argv = ['run', '--ticks', SHORT_TICKS, '--db', 'a.db', '--port', '0', '--json'];
    const first = parseSummary((await galt(argv)).stdout);
    const second = await galt(argv);
    expect(second.code, second.stderr).toBe(ExitCode.ok);
    expect(second.stderr).toContain('already exists');
    const summary = parseSummary(second.stdout);
    expect(summary.runId).not.toBe(first.runId);
    expect(summary.ledger.records).toBeGreaterThan(first.ledger.records);

    const store = openStore(join(directory, 'a.db'));
    try {
      expect(store.getRun(first.runId)?.endedAt).not.toBeNull();
      expect(store.getRun(summary.runId)?.endedAt).not.toBeNull();
      expect(store.ledger.verify().ok).toBe(true);
    } finally {
      store.close();
    }
  });

  it('rejects a busy port before creating the database', async () => {
    const { server, port } = await occupyPort();
    try {
      const result = await galt(['run', '--db', 'busy.db', '--port', String(port)]);
      expect(result.code).toBe(ExitCode.usage);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toContain('--port 0');
      expect(existsSync(join(directory, 'busy.db'))).toBe(false);
    } finally {
      server.close();
    }
  });

  it('rejects a missing data directory before creating the database', async () => {
    const result = await galt(['run', '--db', 'data.db', '--port', '0', '--data', 'no-such-dir']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('no-such-dir is not a directory');
    expect(existsSync(join(directory, 'data.db'))).toBe(false);
  });

  it('removes the database it created when the data cannot be loaded', async () => {
    mkdirSync(join(directory, 'empty-data'));
    const result = await galt(['run', '--db', 'empty.db', '--port', '0', '--data', 'empty-data']);
    expect(result.code).not.toBe(ExitCode.ok);
    expect(existsSync(join(directory, 'empty.db'))).toBe(false);
    expect(existsSync(join(directory, 'empty.db-wal'))).toBe(false);
  });

  it('rejects an unknown execution provider', async () => {
    const result = await galt(['run', '--ep', 'tpu']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('--ep:');
  });

  it('interrupted fixed-length run exits 130', async () => {
    const controller = new AbortController();
    controller.abort(new Error('test interrupt'));
    const argv = ['run', '--ticks', '50', '--db', 'i.db', '--port', '0', '--json'];
    const result = await galt(argv, controller.signal);
    expect(result.code, result.stderr).toBe(ExitCode.interrupted);
    expect(result.stderr).toContain('interrupted after 0 ticks');
    expect(parseSummary(result.stdout).ticks).toBe(0);
  });

  it('ends the run cleanly when interrupted while serving', async () => {
    const controller = new AbortController();
    controller.abort(new Error('test interrupt'));
    const argv = ['run', '--serve', '--db', 's.db', '--port', '0', '--json', '--tick-ms', '0'];
    const result = await galt(argv, controller.signal);
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stderr).toContain('interrupted after 0 ticks');
    const summary = parseSummary(result.stdout);
    const store = openStore(join(directory, 's.db'));
    try {
      expect(store.getRun(summary.runId)?.endedAt).not.toBeNull();
    } finally {
      store.close();
    }
  });
});

describe('galt replay', () => {
  it('reproduces a short run', async () => {
    await galt(['run', '--ticks', SHORT_TICKS, '--db', 'r.db', '--port', '0', '--json']);
    const result = await galt(['replay', '--db', 'r.db', '--json']);
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = JSON.parse(result.stdout) as { ok: boolean; mismatches: number; ticks: number };
    expect(report.ok).toBe(true);
    expect(report.mismatches).toBe(0);
    expect(report.ticks).toBe(Number(SHORT_TICKS));
  });

  it('reports an unknown run id', async () => {
    await galt(['run', '--ticks', '1', '--db', 'r.db', '--port', '0', '--json']);
    const result = await galt(['replay', '--db', 'r.db', '--run', 'no-such-run']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain("run 'no-such-run' not found");
  });
});
