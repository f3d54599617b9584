import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanStep } from './goal-schema.js';
import { firstLeaf, nextLeaf, stepAt } from './plan-cursor.js';

let counter = 0;
const leaf = (): PlanStep => ({ type: 'action', id: `s${counter++}`, action: 'idle' });

/** Random plan trees up to depth 3 with 1 to 3 children per sequence. */
const planArbitrary: fc.Arbitrary<PlanStep> = fc.letrec<{ step: PlanStep }>((tie) => ({
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null).map(() => leaf()),
    fc
      .array(tie('step'), { minLength: 1, maxLength: 3 })
      .map((steps): PlanStep => ({ type: 'sequence', id: `q${counter++}`, steps })),
  ),
})).step;

function leavesOf(step: PlanStep): string[] {
  return step.type === 'sequence' ? step.steps.flatMap(leavesOf) : [step.id];
}

describe('plan cursor', () => {
  it('walks a nested plan leaf by leaf', () => {
    const plan: PlanStep = {
      type: 'sequence',
      id: 'root',
      steps: [
        { type: 'action', id: 'greet', action: 'speak' },
        {
          type: 'sequence',
          id: 'inner',
          steps: [
            { type: 'approval', id: 'ask', prompt: 'May I open the gate?' },
            { type: 'action', id: 'open', action: 'open_gate' },
          ],
        },
        { type: 'action', id: 'bye', action: 'speak' },
      ],
    };
    const visited: string[] = [];
    for (
      let cursor = firstLeaf(plan) as readonly number[] | null;
      cursor !== null;
      cursor = nextLeaf(plan, cursor)
    ) {
      visited.push(stepAt(plan, cursor)?.id ?? '?');
    }
    expect(visited).toEqual(['greet', 'ask', 'open', 'bye']);
  });

  it('visits every leaf once in depth-first order', () => {
    fc.assert(
      fc.property(planArbitrary, (plan) => {
        const visited: string[] = [];
        for (
          let cursor = firstLeaf(plan) as readonly number[] | null;
          cursor !== null;
          cursor = nextLeaf(plan, cursor)
        ) {
          const step = stepAt(plan, cursor);
          expect(step?.type).not.toBe('sequence');
          visited.push(step?.id ?? '?');
        }
        expect(visited).toEqual(leavesOf(plan));
      }),
    );
  });

  it('returns undefined for a path outside the plan', () => {
    const plan: PlanStep = { type: 'sequence', id: 'root', steps: [leaf()] };
    expect(stepAt(plan, [3])).toBeUndefined();
    expect(stepAt(plan, [0, 0])).toBeUndefined();
  });
});
