import { describe, expect, it } from 'vitest';
import { parseAgentDeclaration } from './declaration.js';

const minimal = { id: 'smith', policy: 'village' };

describe('parseAgentDeclaration', () => {
  it('fills defaults for a minimal declaration', () => {
    const result = parseAgentDeclaration(minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.channels.task).toEqual({ backing: 'rules' });
    expect(result.value.memory.recallLimit).toBe(4);
    expect(result.value.goals).toEqual([]);
  });

  it('requires a head for model-backed channels', () => {
    const result = parseAgentDeclaration({ ...minimal, channels: { safety: { backing: 'both' } } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({ path: ['channels', 'safety', 'head'] }),
    ]);
  });

  it('reports duplicate goals, missing dependencies and duplicate tools', () => {
    const result = parseAgentDeclaration({
      ...minimal,
      tools: ['give_item', 'give_item'],
      goals: [
        { id: 'a', dependsOn: ['ghost'], plan: { type: 'action', id: 's', action: 'speak' } },
        { id: 'a', plan: { type: 'action', id: 't', action: 'speak' } },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['tools.1', 'goals.1.id', 'goals.0.dependsOn.0']));
  });

  it('reports duplicate step ids and dependency cycles', () => {
    const result = parseAgentDeclaration({
      ...minimal,
      goals: [
        {
          id: 'a',
          dependsOn: ['b'],
          plan: {
            type: 'sequence',
            id: 'root',
            steps: [
              { type: 'action', id: 'x', action: 'speak' },
              { type: 'wait', id: 'x', until: { kind: 'never' } },
            ],
          },
        },
        { id: 'b', dependsOn: ['a'], plan: { type: 'approval', id: 'ok', prompt: 'Proceed?' } },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.issues.map((issue) => issue.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/duplicate plan step id/),
        'goal dependencies form a cycle: a -> b -> a',
      ]),
    );
  });

  it('reports a malformed nested plan step by path', () => {
    const result = parseAgentDeclaration({
      ...minimal,
      goals: [
        {
          id: 'a',
          plan: {
            type: 'sequence',
            id: 'root',
            steps: [{ type: 'action', id: 'x', action: 'dance' }],
          },
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.path).toEqual(['goals', 0, 'plan', 'steps', 0, 'action']);
  });
});
