import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifestedModel } from '@galt/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { trainTypedChannelModel } from './train-typed-channel.js';

const outDir = mkdtempSync(join(tmpdir(), 'village-model-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Fewer steps than the shipped model, enough to check the pipeline end to end. */
const SHORT_RUN = { steps: 120 };

describe('trainTypedChannelModel', () => {
  it('writes model, manifest and card', async () => {
    const result = await trainTypedChannelModel({ ...SHORT_RUN, outDir });
    expect(result.files).not.toBeNull();
    const manifestPath = join(outDir, 'typed-channel.manifest.json');
    const { manifest, bytes } = loadManifestedModel(manifestPath);
    expect(manifest.sha256).toBe(result.manifest.sha256);
    expect(bytes.length).toBe(result.bytes.length);
    expect(statSync(join(outDir, 'typed-channel.onnx')).size).toBeLessThan(10 * 1024 * 1024);
    const card = readFileSync(join(outDir, 'typed-channel.md'), 'utf8');
    expect(card).toContain(manifest.sha256);
    expect(card).toContain('[domain]');
  });

  it('gives identical bytes for one seed', async () => {
    const first = await trainTypedChannelModel({ ...SHORT_RUN, write: false, seed: 11 });
    const second = await trainTypedChannelModel({ ...SHORT_RUN, write: false, seed: 11 });
    const other = await trainTypedChannelModel({ ...SHORT_RUN, write: false, seed: 12 });
    expect(second.manifest.sha256).toBe(first.manifest.sha256);
    expect(other.manifest.sha256).not.toBe(first.manifest.sha256);
  });

  it('learns the routing heads', async () => {
    const result = await trainTypedChannelModel({ ...SHORT_RUN, write: false });
    expect(result.losses.at(-1)).toBeLessThan(result.losses[0] ?? 0);
    expect(result.validation.action.accuracy).toBeGreaterThan(0.8);
    expect(result.validation.memory.total).toBeGreaterThan(0);
  });
});
