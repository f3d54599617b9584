import { LedgerAppendSchema, STREAM_EVENT_KINDS } from '@galt/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventAppend, EventAppendSchema } from './run-store.js';
import { openStore } from './store.js';

const event: EventAppend = {
  runId: 'run-a',
  tick: 1,
  agentId: 'npc-1',
  kind: 'action',
  payload: { go: 'north' },
};

/** Returns the error `work` throws, or fails the test when it returns. */
function thrownBy(work: () => unknown): { code?: string; message: string; issues?: unknown[] } {
  try {
    work();
  } catch (error) {
    return error as { code?: string; message: string; issues?: unknown[] };
  }
  throw new Error('expected the call to throw');
}

describe('appendEvents validation', () => {
  const malformed: [string, unknown, (string | number)[]][] = [
    ['empty runId', { ...event, runId: '' }, ['runId']],
    ['negative tick', { ...event, tick: -1 }, ['tick']],
    ['fractional tick', { ...event, tick: 1.5 }, ['tick']],
    ['numeric agentId', { ...event, agentId: 7 }, ['agentId']],
    ['unknown kind', { ...event, kind: 'teleport' }, ['kind']],
    ['array payload', { ...event, payload: [1] }, ['payload']],
    ['missing payload', { ...event, payload: undefined }, ['payload']],
  ];

  for (const [name, bad, path] of malformed) {
    it(`rejects ${name} with its path`, () => {
      const store = openStore(':memory:');
      const error = thrownBy(() => store.appendEvents([event, bad as EventAppend]));
      expect(error.code).toBe('invalid_input');
      expect(error.message).toMatch(/^event 1 is invalid/);
      expect(error.issues).toEqual([expect.objectContaining({ path })]);
      expect(store.headSeq()).toBe(0);
      store.close();
    });
  }

  it('rejects a non-finite payload number', () => {
    const store = openStore(':memory:');
    const bad = { ...event, payload: { score: Number.NaN } };
    const error = thrownBy(() => store.appendEvents([event, bad]));
    expect(error.code).toBe('invalid_input');
    expect(error.issues).toEqual([expect.objectContaining({ path: ['score'] })]);
    expect(store.headSeq()).toBe(0);
    store.close();
  });

  it('rejects a non-array batch', () => {
    const store = openStore(':memory:');
    const error = thrownBy(() => store.appendEvents(event as unknown as EventAppend[]));
    expect(error.code).toBe('invalid_input');
    store.close();
  });

  it('strips fields outside the schema', () => {
    const store = openStore(':memory:');
    const [written] = store.appendEvents([{ ...event, extra: 1 } as EventAppend]);
    expect(written).toEqual({ ...event, seq: 1 });
    expect(store.readEvents()).toEqual([{ ...event, seq: 1 }]);
    store.close();
  });
});

/** Values that exercise each field check: good values, near misses and odd objects. */
const anyValue = fc.oneof(
  fc.constantFrom('', 'run-a', 'action', 'memory_admitted', 'teleport', null, undefined),
  fc.constantFrom(0, 1, -1, 1.5, Number.NaN, 2 ** 53, true),
  fc.constantFrom({}, { a: 1 }, [], [1], new Map(), Object.create(null) as object),
  fc.constantFrom({ [Symbol('s')]: 1 }, JSON.parse('{"__proto__":{"a":1}}') as object),
);

/** Generates copies of a valid input with one field (or none) replaced from `anyValue` or removed. */
function mutationsOf(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  return fc
    .tuple(fc.constantFrom(...keys, 'none'), anyValue, fc.boolean())
    .map(([key, value, remove]) => {
      if (key === 'none') return { ...valid };
      if (remove) return Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key));
      return { ...valid, [key]: value };
    });
}

describe('cheap checks agree with schemas', () => {
  it('appendEvents accepts what EventAppendSchema accepts', () => {
    const store = openStore(':memory:');
    const candidate = fc
      .constantFrom(...STREAM_EVENT_KINDS)
      .chain((kind) => mutationsOf({ ...event, kind }));
    fc.assert(
      fc.property(candidate, (input) => {
        const expected = EventAppendSchema.safeParse(input);
        let written: unknown = null;
        try {
          written = store.appendEvents([input as EventAppend])[0];
        } catch {
          written = null;
        }
        expect(written !== null).toBe(expected.success);
        if (expected.success) {
          const stored = { ...expected.data, seq: store.headSeq() };
          expect(written).toEqual(stored);
          expect(store.readEvents({ fromSeq: stored.seq })).toEqual([stored]);
        }
      }),
      { numRuns: 300 },
    );
    store.close();
  });

  it('ledger.append accepts what LedgerAppendSchema accepts', () => {
    const store = openStore(':memory:');
    const candidate = mutationsOf({ kind: 'checkpoint', tick: 3, payload: { a: 1 } });
    fc.assert(
      fc.property(candidate, (input) => {
        const expected = LedgerAppendSchema.safeParse(input).success;
        let accepted = true;
        try {
          store.ledger.append(input as never);
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(expected);
      }),
      { numRuns: 300 },
    );
    store.close();
  });
});
