import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subscribeToEvents } from './event-client.js';
import { runGalt, spawnGalt, waitUntil } from './galt-process.js';

/** Close code the event server sends when it shuts down. */
const SERVER_SHUTDOWN_CLOSE_CODE = 4005;
/** Full-speed ticks before `--serve` switches to paced ticking. */
const INITIAL_TICKS = 5;

let directory: string;
let databasePath: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'galt-e2e-serve-'));
  databasePath = join(directory, 'galt.db');
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function readEndpoint(stderr: string): { url: string; token: string } | null {
  const url = /^events: (ws:\/\/\S+)$/m.exec(stderr)?.[1];
  const token = /^token: {2}(\S+)$/m.exec(stderr)?.[1];
  return url === undefined || token === undefined ? null : { url, token };
}

describe('galt run --serve in a child process', () => {
  it('streams live events and shuts down cleanly on SIGTERM', async () => {
    const argv = ['run', '--serve', '--ticks', String(INITIAL_TICKS), '--tick-ms', '20'];
    argv.push('--port', '0', '--db', databasePath, '--json');
    const galt = spawnGalt(argv, directory);
    let endpoint: { url: string; token: string } | null = null;
    await waitUntil(() => {
      endpoint = readEndpoint(galt.stderr());
      return endpoint !== null || galt.child.exitCode !== null;
    }, 'the event endpoint on stderr');
    if (endpoint === null) throw new Error(`galt run printed no endpoint:\n${galt.stderr()}`);
    const { url, token } = endpoint;
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/events$/);

    const client = await subscribeToEvents(url, token);
    await waitUntil(
      () => client.events.some((event) => event.tick > INITIAL_TICKS),
      'an event from a paced tick',
    );
    galt.child.kill('SIGTERM');
    const ended = await galt.exited;
    const closeCode = await client.closed;

    expect(ended.code, galt.stderr()).toBe(0);
    expect(galt.stderr()).toContain('the run was ended cleanly');
    const summary = JSON.parse(galt.stdout()) as { runId: string; ticks: number };
    expect(summary.ticks).toBeGreaterThan(INITIAL_TICKS);
    expect(closeCode).toBe(SERVER_SHUTDOWN_CLOSE_CODE);
    expect(client.gaps).toEqual([]);
    const seqs = client.events.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));

    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const run = db.prepare('SELECT ended_at FROM runs WHERE run_id = ?').get(summary.runId) as {
        ended_at: string | null;
      };
      expect(run.ended_at).not.toBeNull();
    } finally {
      db.close();
    }
    const audit = await runGalt(['audit', '--db', databasePath, '--json'], directory);
    expect(audit.code, audit.stderr).toBe(0);
  });
});
