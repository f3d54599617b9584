import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPageErrors,
  launchChromium,
  SELECTOR_TIMEOUT_MS,
  type TestBrowser,
} from './testing/chromium.js';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const cliEntry = join(repositoryRoot, 'apps/cli/dist/main.js');
const screenshotDirectory = join(repositoryRoot, 'docs/images');
const TOKEN = 'inspector-browser-test-token';
/** Sequence number the scrubber moves to: early, but after the first ticks' events. */
const EARLIER_SEQ = 60;

let workDirectory: string;
let run: ChildProcess;
let pageUrl: string;
let browser: TestBrowser;

/** Starts `galt run --serve` on a free loopback port and resolves with the inspector URL. */
function startRun(databasePath: string): Promise<string> {
  const argv = [cliEntry, 'run', '--serve', '--port', '0', '--ticks', '40', '--tick-ms', '100'];
  run = spawn(process.execPath, [...argv, '--db', databasePath], {
    env: { ...process.env, GALT_TOKEN: TOKEN, GALT_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    run.stderr?.setEncoding('utf8');
    run.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /inspector: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    run.once('exit', (code) => reject(new Error(`galt run exited with ${code}: ${stderr}`)));
  });
}

function stopRun(): Promise<void> {
  if (run.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => run.once('exit', () => resolve()));
  run.kill('SIGINT');
  return exited;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.GALT_SCREENSHOTS !== '1') return;
  mkdirSync(screenshotDirectory, { recursive: true });
  await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!existsSync(cliEntry)) {
    throw new Error(`${cliEntry} is missing; build it first with \`npm run build\``);
  }
  workDirectory = mkdtempSync(join(tmpdir(), 'galt-inspector-'));
  pageUrl = await startRun(join(workDirectory, 'run.db'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (run !== undefined) await stopRun();
  if (workDirectory !== undefined) rmSync(workDirectory, { recursive: true, force: true });
});

describe('inspector in a browser', () => {
  it('rejects a wrong token, then accepts the form', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${pageUrl}#token=wrong-token`);
    const message = page.locator('#token-error');
    await message.waitFor({ state: 'visible', timeout: SELECTOR_TIMEOUT_MS });
    expect(await message.textContent()).toContain('rejected this token');
    expect(await page.locator('#status').getAttribute('data-state')).toBe('rejected');
    expect(await page.locator('#views').isHidden()).toBe(true);

    await page.locator('#token-input').fill(TOKEN);
    await page.locator('#token-form button[type="submit"]').click();
    await page.locator('#village-map .npc').first().waitFor({ timeout: SELECTOR_TIMEOUT_MS });
    expect(await page.locator('#token-form').isHidden()).toBe(true);
    await page.close();
  });

  it('shows live views, replays and returns to live', async () => {
    const page = await browser.context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${pageUrl}#token=${TOKEN}`);
    const wait = { timeout: SELECTOR_TIMEOUT_MS };

    await page.locator('#village-map .npc').first().waitFor(wait);
    await page.locator('#npc-panel table.verdict').waitFor(wait);
    await page.locator('#ledger-list li.ledger-record').first().waitFor(wait);
    await page.locator('#plots svg.plot polyline.series').first().waitFor(wait);
    await page.locator('#chain-status.good').waitFor(wait);
    expect(page.url()).not.toContain(TOKEN);
    expect(await page.locator('#village-map .npc').count()).toBe(9);
    expect(await page.locator('#chain-status').textContent()).toContain('chain verified');
    await screenshot(page, 'inspector-live');

    await page.locator('#village-map .npc[data-agent="teacher-scribe"] circle').click();
    await page.locator('#npc-panel .npc-panel[data-agent="teacher-scribe"]').waitFor(wait);
    await page.locator('#ledger-kind').selectOption('parametric_rollback');
    const rollbacks = page.locator('#ledger-list li.ledger-record');
    await rollbacks.first().waitFor(wait);
    for (const kind of await rollbacks.evaluateAll((items) =>
      items.map((item) => item.dataset.kind),
    )) {
      expect(kind).toBe('parametric_rollback');
    }
    await screenshot(page, 'inspector-npc-ledger');

    await page.locator('#scrubber').evaluate((element, seq) => {
      const input = element as HTMLInputElement;
      input.value = String(seq);
      input.dispatchEvent(new Event('change'));
    }, EARLIER_SEQ);
    await page.locator('#status[data-state="replay"]').waitFor(wait);
    await page.getByText(`replay at seq ${EARLIER_SEQ},`).waitFor(wait);
    await screenshot(page, 'inspector-replay');

    await page.locator('#live-button').click();
    await page.locator('#status:not([data-state="replay"])').waitFor(wait);
    expect(await page.locator('#scrub-label').textContent()).toMatch(/^live at seq \d+/);
    expect(await page.locator('#live-button').isDisabled()).toBe(true);
    expect(errors).toEqual([]);

    // Ending the run closes the event server, which the page must show.
    await stopRun();
    await page.locator('#status[data-state="disconnected"]').waitFor(wait);
  });
});
