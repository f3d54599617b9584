import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDataDir } from '../curriculum/data-dir.js';
import { evaluateGate } from './evaluate-gate.js';

const validationFile = join(resolveDataDir(), 'validation.jsonl');
const scratch = mkdtempSync(join(tmpdir(), 'village-gate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('evaluateGate', () => {
  it('scores the validation split', async () => {
    const result = await evaluateGate({ dataFile: validationFile });
    expect(result.rows).toBe(62);
    expect(result.skippedRows).toBe(0);
    // Floors well below the shipped model's figures, so a broken pipeline fails here.
    expect(result.actionAccuracy).toBeGreaterThan(0.8);
    expect(result.memoryAccuracy).toBeGreaterThan(0.8);
    expect(result.residualAccuracy).toBeGreaterThan(0.8);
    expect(result.hardViolationRecall).toBeGreaterThan(0.5);
    expect(result.memoryLayerAccuracy).not.toBeNull();
    expect(result.violationLayerAccuracy).not.toBeNull();
  });

  it('skips malformed rows', async () => {
    const lines = readFileSync(validationFile, 'utf8').trim().split('\n');
    const file = join(scratch, 'broken.jsonl');
    writeFileSync(file, [...lines.slice(0, 100), '{"stream": ', ...lines.slice(100)].join('\n'));
    const result = await evaluateGate({ dataFile: file });
    expect(result.skippedRows).toBe(1);
    expect(result.rows).toBe(62);
  });

  it('raises not_found for a missing file', async () => {
    await expect(evaluateGate({ dataFile: join(scratch, 'missing.jsonl') })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
