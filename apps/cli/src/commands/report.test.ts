import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { ExitCode } from '../exit-codes.js';
import { createBufferedIo } from '../io.js';
import { allCommands } from './index.js';

let directory: string;
let runStderr: string;

async function galt(argv: string[]) {
  const io = createBufferedIo({ cwd: directory, env: {} });
  const code = await runCli(argv, io, allCommands);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'galt-cli-report-'));
  const result = await galt(['run', '--ticks', '12', '--db', 'r.db', '--port', '0', '--json']);
  expect(result.code, result.stderr).toBe(ExitCode.ok);
  runStderr = result.stderr;
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('galt run', () => {
  it('prints the inspector URL with the token in the fragment', () => {
    const token = /token: {2}(\S+)/.exec(runStderr)?.[1];
    expect(token).toBeDefined();
    expect(runStderr).toMatch(/inspector: http:\/\/127\.0\.0\.1:\d+\/#token=\S+/);
    expect(runStderr).toContain(`#token=${token}`);
  });
});

describe('galt report', () => {
  it('writes a self-contained HTML report', async () => {
    const result = await galt(['report', '--db', 'r.db', '--out', 'out', '--json']);
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const { report } = JSON.parse(result.stdout) as { report: string };
    expect(report).toBe(join(directory, 'out', 'index.html'));
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Memory decisions by deciding layer');
    expect(html).toContain('ledger chain</td><td>verified');
    expect(html).toMatch(/<svg[^>]*class="plot"/);
    expect(html).toMatch(/Rollbacks \(\d+\)/);
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it('rejects unusable output paths', async () => {
    writeFileSync(join(directory, 'afile'), 'x');
    const onFile = await galt(['report', '--db', 'r.db', '--out', 'afile']);
    expect(onFile.code).toBe(ExitCode.usage);
    expect(onFile.stderr).toContain('is a file; pass a directory path');
    const underFile = await galt(['report', '--db', 'r.db', '--out', 'afile/sub/dir']);
    expect(underFile.code).toBe(ExitCode.usage);
    expect(underFile.stderr).toContain('could not create directory');
    const special = await galt(['report', '--db', 'r.db', '--out', '/proc/galt-report-test']);
    expect(special.code).toBe(ExitCode.usage);
    expect(special.stderr).toContain('could not create directory');
  });

  it('rejects an unknown run id', async () => {
    const result = await galt(['report', '--db', 'r.db', '--run', 'no-such-run']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain("run 'no-such-run' not found");
  });

  it('rejects a missing database', async () => {
    const result = await galt(['report', '--db', 'missing.db']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('not found');
  });
});
