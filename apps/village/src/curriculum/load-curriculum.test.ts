import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaltError } from '@galt/core';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir.js';
import { formatLoadIssue } from './jsonl.js';
import { loadCurriculum } from './load-curriculum.js';
import { loadContrastPackets } from './load-packets.js';
import { loadProbes } from './load-probes.js';

const dataDir = resolveDataDir();
const temporaryDirs: string[] = [];

function makeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'village-curriculum-'));
  temporaryDirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadCurriculum', () => {
  it('loads the real train split', () => {
    const curriculum = loadCurriculum(dataDir, 'train');
    expect(curriculum.issues).toEqual([]);
    expect(curriculum.language).toHaveLength(640);
    expect(curriculum.routing).toHaveLength(240);
    expect(curriculum.memory).toHaveLength(252);
    expect(curriculum.memory.filter((row) => row.packet !== null)).toHaveLength(162);
    expect(curriculum.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loads the real validation split', () => {
    const curriculum = loadCurriculum(dataDir, 'validation');
    expect(curriculum.issues).toEqual([]);
    expect(curriculum.routing).toHaveLength(30);
    expect(curriculum.memory).toHaveLength(32);
  });

  it('skips malformed rows and names file and line', () => {
    const dir = makeDir();
    const lines = readFileSync(join(dataDir, 'validation.jsonl'), 'utf8').split('\n');
    const routing = lines.find((line) => line.includes('"teacher_query_routing"')) ?? '';
    const broken = JSON.parse(routing);
    broken.action = 'shout';
    const rows = [routing, '{"stream": "teacher_query_routing", ', JSON.stringify(broken), '[]'];
    rows.push('{"stream": "unknown_stream"}');
    writeFileSync(join(dir, 'mixed.jsonl'), rows.join('\n'));

    const curriculum = loadCurriculum(dir, 'mixed');
    expect(curriculum.routing).toHaveLength(1);
    const described = curriculum.issues.map(formatLoadIssue);
    expect(described[0]).toMatch(/^mixed\.jsonl:2: invalid JSON/);
    expect(described[1]).toMatch(/^mixed\.jsonl:3 action: /);
    expect(described.some((line) => line.startsWith('mixed.jsonl:4'))).toBe(true);
    expect(described.some((line) => line.startsWith('mixed.jsonl:5 stream'))).toBe(true);
  });

  it('reports incomplete packet metadata', () => {
    const dir = makeDir();
    const lines = readFileSync(join(dataDir, 'validation.jsonl'), 'utf8').split('\n');
    const packetLine = lines.find((line) => line.includes('"memory_layer_id"')) ?? '';
    const row = JSON.parse(packetLine);
    row.metadata.memory_layer_id = 9;
    writeFileSync(join(dir, 'packet.jsonl'), JSON.stringify(row));

    const curriculum = loadCurriculum(dir, 'packet');
    expect(curriculum.memory).toHaveLength(1);
    expect(curriculum.memory[0]?.packet).toBeNull();
    expect(curriculum.issues[0]?.path).toEqual(['metadata', 'memory_layer_id']);
  });

  it('raises not_found for a missing split', () => {
    const dir = makeDir();
    expect(() => loadCurriculum(dir, 'train')).toThrow(GaltError);
    try {
      loadCurriculum(dir, 'train');
    } catch (error) {
      expect((error as GaltError).code).toBe('not_found');
    }
  });

  it('rejects a split name with a path', () => {
    expect(() => loadCurriculum(dataDir, '../train')).toThrow(/split/);
  });
});

describe('loadContrastPackets', () => {
  it('loads all 68 real packets', () => {
    const set = loadContrastPackets(dataDir);
    expect(set.issues).toEqual([]);
    expect(set.packets).toHaveLength(68);
    const domains = new Set(set.packets.map((packet) => packet.domain));
    expect([...domains].sort()).toEqual(['preference', 'safety_boundary', 'tutoring', 'workflow']);
  });

  it('skips an invalid packet', () => {
    const dir = makeDir();
    mkdirSync(join(dir, 'contrast-lessons'));
    writeFileSync(join(dir, 'contrast-lessons', 'a.jsonl'), '{"id": "x"}\n');
    const set = loadContrastPackets(dir);
    expect(set.packets).toEqual([]);
    expect(set.issues[0]?.file).toBe('a.jsonl');
    expect(set.issues[0]?.line).toBe(1);
  });
});

describe('loadProbes', () => {
  it('loads the real probe sets', () => {
    const probes = loadProbes(dataDir);
    expect(probes.issues).toEqual([]);
    expect(probes.safety).toHaveLength(38);
    expect(probes.retain).toHaveLength(20);
  });

  it('skips an entry whose label is out of range', () => {
    const dir = makeDir();
    mkdirSync(join(dir, 'probes'));
    const good = { category: 'c', question: 'q', options: ['a', 'b'], safe_label: 0 };
    const bad = { ...good, safe_label: 5 };
    writeFileSync(join(dir, 'probes', 'safety_prompts.json'), JSON.stringify([good, bad]));
    writeFileSync(join(dir, 'probes', 'retain_set.json'), 'not json');
    const probes = loadProbes(dir);
    expect(probes.safety).toHaveLength(1);
    expect(probes.issues[0]).toMatchObject({ line: 1, path: ['safe_label'] });
    expect(probes.issues[1]?.path).toEqual([]);
  });
});
