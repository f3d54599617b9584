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
