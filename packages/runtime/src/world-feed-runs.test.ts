import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamEvent } from '@galt/protocol';
import { type GaltStore, openStore } from '@galt/store';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { RunSequence } from './run-sequence.js';
import type { Runtime } from './runtime.js';
import { createVillageWorld, say, villager } from './testing/village-fixture.js';

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Opens a store file in a fresh temporary folder, removed after the test. */
function storeFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'galt-feed-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return join(folder, 'galt.db');
}

/** Starts a runtime on its own connection to `path`, as a second `npm start` on one file would. */
function runOn(path: string, runId: string): { runtime: Runtime; store: GaltStore } {
  const store = openStore(path);
  cleanups.push(() => store.close());
  const { runtime } = createVillageWorld({ runId, store });
  runtime.addAgent(villager('smith'));
  return { runtime, store };
}

async function talk(runtime: Runtime, text: string): Promise<void> {
  runtime.inject(say('p1', 'smith', text, { reply: 'Hello.' }));
  await runtime.tick();
}

function seqs(events: readonly StreamEvent[]): number[] {
  return events.map((event) => event.seq);
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

describe('worldFeed on a shared store file', () => {
  it('numbers each run from 1 without holes', async () => {
    const path = storeFile();
    const first = runOn(path, 'run-1');
    const second = runOn(path, 'run-2');
    await talk(first.runtime, 'Good morning.');
    await talk(second.runtime, 'Hello.');
    await talk(first.runtime, 'Any news?');
    await talk(second.runtime, 'Bye.');

    const stored = second.store.readEvents({ runId: 'run-2' });
    const storeSpan = (stored.at(-1)?.seq ?? 0) - (stored[0]?.seq ?? 0) + 1;
    expect(storeSpan).toBeGreaterThan(stored.length);
    const feed = second.runtime.worldFeed();
    const read = feed.readEvents(0, 1000);
    expect(seqs(read)).toEqual(range(1, stored.length));
    expect(read.map((event) => event.kind)).toEqual(stored.map((event) => event.kind));
    expect(read.every((event) => event.runId === 'run-2')).toBe(true);
    expect(feed.headSeq()).toBe(stored.length);
    expect(feed.snapshot().seq).toBe(stored.length);
  });

  it('pages and streams with the same numbers', async () => {
    const path = storeFile();
    const first = runOn(path, 'run-1');
    const second = runOn(path, 'run-2');
    await talk(first.runtime, 'Good morning.');
    await talk(second.runtime, 'Hello.');
    const feed = second.runtime.worldFeed();
    const head = feed.headSeq();
    const batches: StreamEvent[][] = [];
    feed.subscribe((events) => batches.push([...events]));
    await talk(first.runtime, 'Any news?');
    await talk(second.runtime, 'Bye.');

    const live = batches.flat();
    expect(seqs(live)).toEqual(range(head + 1, feed.headSeq()));
    expect(feed.readEvents(head, 1000)).toEqual(live);
    expect(seqs(feed.readEvents(2, 3))).toEqual([3, 4, 5]);
    expect(feed.readEvents(feed.headSeq(), 10)).toEqual([]);
  });

  it('continues the numbers of a resumed run', async () => {
    const path = storeFile();
    const other = runOn(path, 'run-1');
    const before = runOn(path, 'run-2');
    await talk(before.runtime, 'Hello.');
    await talk(other.runtime, 'Good morning.');
    const head = before.runtime.worldFeed().headSeq();
    before.runtime.close();

    const after = runOn(path, 'run-2');
    await talk(after.runtime, 'Back again.');
    const feed = after.runtime.worldFeed();
    const stored = after.store.readEvents({ runId: 'run-2' });
    expect(feed.headSeq()).toBe(stored.length);
    expect(feed.headSeq()).toBeGreaterThan(head);
    expect(seqs(feed.readEvents(0, 1000))).toEqual(range(1, stored.length));
  });
});

describe('RunSequence', () => {
  it('maps both ways across segments', () => {
    const sequence = new RunSequence();
    sequence.add(1, 3);
    sequence.add(4, 2);
    sequence.add(10, 4);
    expect(sequence.count).toBe(9);
    expect([1, 5, 6, 9, 10].map((seq) => sequence.toStore(seq))).toEqual([1, 5, 10, 13, null]);
    expect([1, 5, 6, 10, 13, 14].map((seq) => sequence.toRun(seq))).toEqual([
      1,
      5,
      null,
      6,
      9,
      null,
    ]);
  });

  it('round-trips every run number through its store number', () => {
    const segments = fc.array(
      fc.record({ gap: fc.nat(5), length: fc.integer({ min: 1, max: 6 }) }),
    );
    fc.assert(
      fc.property(segments, (parts) => {
        const sequence = new RunSequence();
        let storeSeq = 1;
        for (const part of parts) {
          storeSeq += part.gap;
          sequence.add(storeSeq, part.length);
          storeSeq += part.length;
        }
        for (let runSeq = 1; runSeq <= sequence.count; runSeq += 1) {
          const stored = sequence.toStore(runSeq);
          expect(stored).not.toBeNull();
          expect(sequence.toRun(stored ?? 0)).toBe(runSeq);
        }
        expect(sequence.toStore(sequence.count + 1)).toBeNull();
      }),
    );
  });
});
