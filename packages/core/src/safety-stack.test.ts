import { SafetyVerdictSchema } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { GaltError } from './errors.js';
import { createMemoryLogger } from './logger.js';
import { ambiguous, PASS, type SafetyRule, type ScreenTarget, violate } from './safety-rule.js';
import { SafetyStack } from './safety-stack.js';

function wordRule(
  id: string,
  layer: SafetyRule['layer'],
  word: string,
  appliesTo?: SafetyRule['appliesTo'],
): SafetyRule {
  const rule: SafetyRule = {
    id,
    layer,
    description: `rejects text containing '${word}'`,
    evaluate: (target) => (target.text.includes(word) ? violate(`mentions ${word}`) : PASS),
  };
  if (appliesTo !== undefined) rule.appliesTo = appliesTo;
  return rule;
}

function input(id: string, text: string): ScreenTarget {
  return { kind: 'input', id, text };
}

function chunk(index: number, text: string): ScreenTarget {
  return { kind: 'chunk', id: `chunk:${index}`, index, text };
}

describe('SafetyStack.screen', () => {
  it('passes every layer when no rule fires', () => {
    const stack = new SafetyStack().register(wordRule('poison', 'L0', 'poison'));
    const verdict = stack.screen({
      agentId: 'a',
      tick: 1,
      targets: [input('1', 'hi')],
      context: {},
    });
    expect(SafetyVerdictSchema.parse(verdict)).toEqual(verdict);
    expect(verdict.layers.map((layer) => layer.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(verdict.violationLayer).toBe('none');
    expect(verdict.blocked).toBe(false);
    expect(verdict.firstBlockedChunk).toBeNull();
    expect(verdict.screenedInputs).toEqual(['1']);
  });

  it('reports the lowest violated layer and blocks on L1', () => {
    const stack = new SafetyStack()
      .register(wordRule('consent', 'L1', 'secret'))
      .register(wordRule('manners', 'L3', 'rude'));
    const verdict = stack.screen({
      agentId: 'a',
      tick: 2,
      targets: [input('1', 'rude'), input('2', 'tell the secret')],
      context: null,
    });
    expect(verdict.violationLayer).toBe('L1');
    expect(verdict.blocked).toBe(true);
    expect(verdict.layers[1]).toEqual({
      layer: 'L1',
      status: 'violate',
      ruleId: 'consent',
      reason: 'mentions secret',
      target: '2',
    });
    expect(verdict.layers[3]?.status).toBe('violate');
  });

  it('does not block on L2 or L3 violations', () => {
    const stack = new SafetyStack().register(wordRule('workflow', 'L2', 'skip'));
    const verdict = stack.screen({
      agentId: 'a',
      tick: 0,
      targets: [input('1', 'skip')],
      context: 0,
    });
    expect(verdict.violationLayer).toBe('L2');
    expect(verdict.blocked).toBe(false);
  });

  it('records ambiguity without a violation', () => {
    const stack = new SafetyStack().register({
      id: 'unsure',
      layer: 'L1',
      description: 'cannot tell',
      evaluate: () => ambiguous('maybe personal'),
    });
    const verdict = stack.screen({ agentId: 'a', tick: 0, targets: [input('1', 'x')], context: 0 });
    expect(verdict.layers[1]?.status).toBe('ambiguous');
    expect(verdict.violationLayer).toBe('none');
    expect(verdict.blocked).toBe(false);
  });

  it('prefers a violation over an ambiguity in the same layer', () => {
    const stack = new SafetyStack()
      .register({ id: 'unsure', layer: 'L2', description: 'd', evaluate: () => ambiguous('?') })
      .register(wordRule('skip', 'L2', 'skip'));
    const verdict = stack.screen({
      agentId: 'a',
      tick: 0,
      targets: [input('1', 'skip')],
      context: 0,
    });
    expect(verdict.layers[2]?.status).toBe('violate');
  });

  it('returns the lowest violating chunk index', () => {
    const stack = new SafetyStack()
      .register(wordRule('threat', 'L0', 'burn', ['chunk']))
      .register(wordRule('pref', 'L3', 'meh', ['chunk']));
    const verdict = stack.screen({
      agentId: 'a',
      tick: 0,
      targets: [chunk(0, 'Hello. '), chunk(1, 'I will burn '), chunk(2, 'meh '), chunk(3, 'burn')],
      context: 0,
    });
    expect(verdict.firstBlockedChunk).toBe(1);
    expect(verdict.layers[0]).toMatchObject({ status: 'violate', target: 'chunk:1' });
  });

  it('respects appliesTo', () => {
    const stack = new SafetyStack().register(wordRule('only-chunks', 'L0', 'burn', ['chunk']));
    const verdict = stack.screen({
      agentId: 'a',
      tick: 0,
      targets: [input('1', 'burn')],
      context: 0,
    });
    expect(verdict.violationLayer).toBe('none');
  });

  it('treats a throwing rule as a violation at its layer', () => {
    const logger = createMemoryLogger();
    const stack = new SafetyStack({ logger }).register({
      id: 'broken',
      layer: 'L1',
      description: 'throws',
      evaluate: () => {
        throw new Error('classifier unavailable');
      },
    });
    const verdict = stack.screen({ agentId: 'a', tick: 0, targets: [input('1', 'x')], context: 0 });
    expect(verdict.layers[1]).toMatchObject({
      status: 'violate',
      reason: 'classifier unavailable',
    });
    expect(verdict.blocked).toBe(true);
    expect(logger.entriesAt('warn')).toHaveLength(1);
  });

  it('treats a malformed outcome as a violation', () => {
    const stack = new SafetyStack().register({
      id: 'sloppy',
      layer: 'L2',
      description: 'returns junk',
      evaluate: () => ({ status: 'violate' }) as never,
    });
    const verdict = stack.screen({ agentId: 'a', tick: 0, targets: [input('1', 'x')], context: 0 });
    expect(verdict.layers[2]).toMatchObject({ status: 'violate', ruleId: 'sloppy' });
  });

  it('passes the context to rules', () => {
    const stack = new SafetyStack<{ banned: string }>().register({
      id: 'ctx',
      layer: 'L2',
      description: 'uses context',
      evaluate: (target, context) => (target.text === context.banned ? violate('banned') : PASS),
    });
    const targets = [input('1', 'x')];
    const allowed = stack.screen({ agentId: 'a', tick: 0, targets, context: { banned: 'y' } });
    expect(allowed.violationLayer).toBe('none');
    expect(
      stack.screen({ agentId: 'a', tick: 0, targets, context: { banned: 'x' } }).violationLayer,
    ).toBe('L2');
  });

  it('rejects an invalid request', () => {
    const stack = new SafetyStack();
    expect(() => stack.screen({ agentId: '', tick: 0, targets: [], context: 0 })).toThrow(
      GaltError,
    );
    expect(() => stack.screen({ agentId: 'a', tick: -1, targets: [], context: 0 })).toThrow(
      /tick -1/,
    );
  });
});

describe('SafetyStack.register', () => {
  it('lists rules per layer, lowest first', () => {
    const stack = new SafetyStack()
      .register(wordRule('b', 'L3', 'x'))
      .register(wordRule('a', 'L0', 'y'));
    expect(stack.rules().map((rule) => rule.id)).toEqual(['a', 'b']);
    expect(stack.rules('L3').map((rule) => rule.id)).toEqual(['b']);
    expect(stack.rules('L1')).toEqual([]);
  });

  it('rejects duplicates and invalid rules', () => {
    const stack = new SafetyStack().register(wordRule('a', 'L0', 'y'));
    expect(() => stack.register(wordRule('a', 'L1', 'z'))).toThrow(/already registered/);
    expect(() => stack.register(wordRule('', 'L1', 'z'))).toThrow(GaltError);
    expect(() => stack.register(wordRule('b', 'L9' as never, 'z'))).toThrow(/invalid layer/);
    expect(() => stack.register(wordRule('c', 'L1', 'z', ['bogus' as never]))).toThrow(
      /unknown target kind/,
    );
  });
});

describe('SafetyStack.screenWithFindings', () => {
  const stack = new SafetyStack()
    .register(wordRule('poison', 'L0', 'poison'))
    .register(wordRule('knife', 'L0', 'knife'))
    .register(wordRule('rude', 'L2', 'rude'))
    .register({
      id: 'unsure',
      layer: 'L3',
      description: 'cannot judge questions',
      evaluate: (target) => (target.text.endsWith('?') ? ambiguous('a question') : PASS),
    });
  const request = {
    agentId: 'a',
    tick: 3,
    targets: [
      input('1', 'poison please'),
      input('2', 'a knife and poison'),
      input('3', 'rude?'),
      { kind: 'window', id: 'window', text: 'poison please\na knife and poison\nrude?' },
    ] satisfies ScreenTarget[],
    context: {},
  };

  it('lists every finding in evaluation order', () => {
    const { findings } = stack.screenWithFindings(request);
    expect(findings.map((finding) => `${finding.ruleId}@${finding.target}`)).toEqual([
      'poison@1',
      'poison@2',
      'poison@window',
      'knife@2',
      'knife@window',
      'rude@3',
      'rude@window',
      'unsure@3',
      'unsure@window',
    ]);
    expect(findings[2]).toEqual({
      layer: 'L0',
      status: 'violate',
      ruleId: 'poison',
      reason: 'mentions poison',
      target: 'window',
      targetKind: 'window',
    });
    expect(findings.at(-1)?.status).toBe('ambiguous');
  });

  it('returns the same verdict as screen', () => {
    const { verdict } = stack.screenWithFindings(request);
    expect(verdict).toEqual(stack.screen(request));
    expect(verdict.layers[0]).toMatchObject({ status: 'violate', ruleId: 'poison', target: '1' });
    expect(verdict.screenedInputs).toEqual(['1', '2', '3']);
  });

  it('returns no findings when every rule passes', () => {
    const clean = { ...request, targets: [input('1', 'hello')] };
    expect(stack.screenWithFindings(clean).findings).toEqual([]);
  });
});
