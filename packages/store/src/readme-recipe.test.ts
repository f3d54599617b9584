import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './store.js';

const directory = mkdtempSync(join(tmpdir(), 'galt-store-recipe-'));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Returns the shell block after the recipe marker in the README. */
function recipe(): string {
  const start = readme.indexOf('<!-- verify-recipe -->');
  const match = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  if (start < 0 || match === null) throw new Error('README has no verify recipe block');
  return match[1]!;
}

function runRecipe(path: string): string {
  try {
    return execFileSync('bash', ['-c', recipe(), 'verify', path], { encoding: 'utf8' }).trim();
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? '').trim();
  }
}

describe('README sqlite3 recipe', () => {
  it('matches verify and detects edits', () => {
    const path = join(directory, 'recipe.db');
    const store = openStore(path);
    store.ledger.appendMany([
      { kind: 'adjudication', tick: 1, payload: { quote: 'say "hi" | bye', line: 'a\nb' } },
      { kind: 'checkpoint', tick: 2, payload: { name: 'Ærø ✓', nested: { z: 1, a: [1.5, null] } } },
      { kind: 'run_finished', tick: 3, payload: { runId: 'r' } },
    ]);
    const verification = store.ledger.verify();
    store.close();
    expect(runRecipe(path)).toBe(`chain ok: 3 records, head ${verification.headHash}`);

    const db = new Database(path);
    db.exec('DROP TRIGGER ledger_reject_update');
    db.exec(`UPDATE ledger SET payload = replace(payload, 'hi', 'ho') WHERE seq = 1`);
    db.close();
    expect(runRecipe(path)).toBe('chain broken at seq 1');
  });
});
