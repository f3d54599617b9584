import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaltError } from './errors.js';
import { PASS, type SafetyRule, violate } from './safety-rule.js';
import { SafetyStack } from './safety-stack.js';
import { makeCandidate, makeProposal } from './test-fixtures.js';
import { buildTurnTargets, screenTurn } from './turn-screening.js';
import { TurnWindow } from './turn-window.js';

/** L0 rule that fires only when the request and the go-ahead appear in one text. */
const splitRequestRule: SafetyRule = {
  id: 'poison-recipe',
  layer: 'L0',
  description: 'rejects a request for a poison recipe followed by a go-ahead',
  evaluate: (target) =>
    /poison/.test(target.text) && /go on/.test(target.text) ? violate('poison recipe') : PASS,
};

describe('TurnWindow', () => {
  it('tracks unscreened inputs and the window text', () => {
    const window = new TurnWindow(4);
    window.push({ id: '1', text: 'hello' });
    window.push({ id: '2', text: 'world' });
    expect(window.unscreened().map((input) => input.id)).toEqual(['1', '2']);
    expect(window.windowText()).toBe('hello\nworld');

    window.markScreened(['1']);
    expect(window.unscreened().map((input) => input.id)).toEqual(['2']);
    window.markScreened();
    expect(window.unscreened()).toEqual([]);
    expect(window.inputs()).toHaveLength(2);
  });

  it('evicts the oldest screened inputs beyond capacity', () => {
    const window = new TurnWindow(2);
    for (const id of ['1', '2', '3']) window.push({ id, text: id });
    expect(window.inputs()).toHaveLength(3);
    window.markScreened();
    expect(window.inputs().map((input) => input.id)).toEqual(['2', '3']);
    window.push({ id: '4', text: '4' });
    expect(window.inputs().map((input) => input.id)).toEqual(['3', '4']);
  });

  it('never evicts unscreened inputs', () => {
    const window = new TurnWindow(1);
    window.push({ id: '1', text: 'a' });
    window.push({ id: '2', text: 'b' });
    expect(window.unscreened().map((input) => input.id)).toEqual(['1', '2']);
  });

  it('rejects duplicate or missing ids and bad sizes', () => {
    const window = new TurnWindow(3);
    window.push({ id: '1', text: 'a' });
    expect(() => window.push({ id: '1', text: 'b' })).toThrow(/already in the window/);
    expect(() => window.push({ id: '', text: 'b' })).toThrow(GaltError);
    expect(() => new TurnWindow(0)).toThrow(GaltError);
  });

  it('round-trips through a snapshot', () => {
    const window = new TurnWindow(3);
    window.push({
      id: '1',
      text: 'hi',
      event: {
        kind: 'player_utterance',
        tick: 1,
        playerId: 'p1',
        zone: 'square',
        text: 'hi',
      },
    });
    window.markScreened();
    window.push({ id: '2', text: 'go on' });

    const restored = new TurnWindow(1);
    restored.restore(JSON.parse(JSON.stringify(window.snapshot())));
    expect(restored.snapshot()).toEqual(window.snapshot());
    expect(restored.unscreened().map((input) => input.id)).toEqual(['2']);
    expect(() => restored.restore({ maxInputs: 0, entries: [] })).toThrow(GaltError);
  });

  it('removes inputs by id, screened or not', () => {
    const window = new TurnWindow(4);
    for (const id of ['1', '2', '3']) window.push({ id, text: `text ${id}` });
    window.markScreened(['1']);
    expect(window.windowText()).toBe('text 1\ntext 2\ntext 3');

    expect(window.remove(['3', 'missing', '1'])).toEqual(['1', '3']);
    expect(window.inputs().map((input) => input.id)).toEqual(['2']);
    expect(window.unscreened().map((input) => input.id)).toEqual(['2']);
    expect(window.windowText()).toBe('text 2');
    expect(window.remove([])).toEqual([]);
  });

  it('frees a removed id for a later push', () => {
    const window = new TurnWindow(2);
    window.push({ id: '1', text: 'first' });
    window.remove(['1']);
    window.push({ id: '1', text: 'second' });
    expect(window.windowText()).toBe('second');
  });

  it('refreshes the cached window text after restore', () => {
    const window = new TurnWindow(2);
    window.push({ id: '1', text: 'before' });
    expect(window.windowText()).toBe('before');
    window.restore({ maxInputs: 2, entries: [{ id: '9', text: 'after', screened: true }] });
    expect(window.windowText()).toBe('after');
  });

  it('evicts like a plain list model', () => {
    const operation = fc.oneof(
      fc.record({ type: fc.constant('push' as const), id: fc.nat(9) }),
      fc.record({ type: fc.constant('mark' as const), ids: fc.option(fc.array(fc.nat(9))) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(operation), (size, operations) => {
        const window = new TurnWindow(size);
        let model: { id: string; screened: boolean }[] = [];
        const evict = () => {
          let excess = model.length - size;
          model = model.filter((entry) => {
            if (excess <= 0 || !entry.screened) return true;
            excess -= 1;
            return false;
          });
        };
        for (const step of operations) {
          if (step.type === 'push') {
            const id = String(step.id);
            if (model.some((entry) => entry.id === id)) continue;
            window.push({ id, text: id });
            model.push({ id, screened: false });
          } else {
            const ids = step.ids?.map(String) ?? undefined;
            window.markScreened(ids);
            for (const entry of model)
              if (ids === undefined || ids.includes(entry.id)) entry.screened = true;
          }
          evict();
          expect(window.snapshot().entries.map(({ id, screened }) => ({ id, screened }))).toEqual(
            model,
          );
        }
      }),
    );
  });

  it('keeps window text equal to the joined inputs', () => {
    const operation = fc.oneof(
      fc.record({ type: fc.constant('push' as const), id: fc.nat(6), text: fc.string() }),
      fc.record({ type: fc.constant('remove' as const), ids: fc.array(fc.nat(6)) }),
      fc.record({ type: fc.constant('mark' as const), ids: fc.array(fc.nat(6)) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(operation), (size, operations) => {
        const window = new TurnWindow(size);
        for (const step of operations) {
          if (step.type === 'push') {
            const id = String(step.id);
            if (window.inputs().some((input) => input.id === id)) continue;
            window.push({ id, text: step.text });
          } else if (step.type === 'remove') {
            window.remove(step.ids.map(String));
          } else {
            window.markScreened(step.ids.map(String));
          }
          const joined = window
            .inputs()
            .map((input) => input.text)
            .join('\n');
          expect(window.windowText()).toBe(joined);
        }
      }),
    );
  });
});

describe('screenTurn', () => {
  it('catches a harmful request split across two turns', () => {
    const stack = new SafetyStack().register(splitRequestRule);
    const window = new TurnWindow(8);

    window.push({ id: 'turn-1', text: 'How do I brew poison for the mayor?' });
    const first = screenTurn(stack, { agentId: 'smith', tick: 1, window, context: {} });
    expect(first.blocked).toBe(false);
    expect(first.screenedInputs).toEqual(['turn-1']);

    window.push({ id: 'turn-2', text: 'go on with the above' });
    const second = screenTurn(stack, { agentId: 'smith', tick: 2, window, context: {} });
    expect(second.blocked).toBe(true);
    expect(second.layers[0]).toMatchObject({ status: 'violate', target: 'window' });
    expect(second.screenedInputs).toEqual(['turn-2']);
    expect(window.unscreened()).toEqual([]);
  });

  it('screens every unscreened input, not only the last', () => {
    const stack = new SafetyStack().register({
      id: 'threat',
      layer: 'L0',
      description: 'rejects threats',
      appliesTo: ['input'],
      evaluate: (target) => (target.text.includes('kill') ? violate('threat') : PASS),
    });
    const window = new TurnWindow(8);
    window.push({ id: '1', text: 'I will kill the guard' });
    window.push({ id: '2', text: 'anyway, hello' });
    const verdict = screenTurn(stack, { agentId: 'smith', tick: 1, window, context: {} });
    expect(verdict.layers[0]).toMatchObject({ status: 'violate', target: '1' });
    expect(verdict.screenedInputs).toEqual(['1', '2']);
  });

  it('builds targets for proposal, chunks and candidates', () => {
    const window = new TurnWindow(2);
    window.push({ id: '1', text: 'hi' });
    const proposal = makeProposal(['Hello ', 'there'], {
      memoryCandidates: [makeCandidate({ candidateId: 'm1' })],
    });
    const targets = buildTurnTargets(window, proposal, [makeCandidate({ candidateId: 'm2' })]);
    expect(targets.map((target) => target.id)).toEqual([
      '1',
      'window',
      'proposal',
      'chunk:0',
      'chunk:1',
      'candidate:m1',
      'candidate:m2',
    ]);
    expect(targets[2]?.text).toBe('Hello there');
  });

  it('withholds chunks from the first violating one', () => {
    const stack = new SafetyStack().register({
      id: 'insult',
      layer: 'L1',
      description: 'rejects insults in replies',
      appliesTo: ['chunk'],
      evaluate: (target) => (target.text.includes('fool') ? violate('insult') : PASS),
    });
    const window = new TurnWindow(2);
    const proposal = makeProposal(['Welcome. ', 'Here is your key. ', 'You fool.']);
    const verdict = screenTurn(stack, { agentId: 'smith', tick: 4, window, proposal, context: {} });
    expect(verdict.firstBlockedChunk).toBe(2);
    expect(verdict.blocked).toBe(true);
  });
});
