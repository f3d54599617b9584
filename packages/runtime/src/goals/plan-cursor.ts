import type { PlanStep } from './goal-schema.js';

/**
 * A cursor is the path of child indexes from a plan's root to its current leaf step. The empty
 * path points at a root that is itself a leaf. Cursors are plain data, so they snapshot and replay.
 */
export type PlanCursor = readonly number[];

/** Returns the path to the first leaf under `step`, prefixed by `prefix`. */
export function firstLeaf(step: PlanStep, prefix: PlanCursor = []): PlanCursor {
  let cursor = [...prefix];
  let node = step;
  while (node.type === 'sequence') {
    const first = node.steps[0];
    if (first === undefined) break;
    cursor = [...cursor, 0];
    node = first;
  }
  return cursor;
}

/** Returns the step a cursor points at, or undefined when the path does not exist in the plan. */
export function stepAt(root: PlanStep, cursor: PlanCursor): PlanStep | undefined {
  let node: PlanStep | undefined = root;
  for (const index of cursor) {
    if (node === undefined || node.type !== 'sequence') return undefined;
    node = node.steps[index];
  }
  return node;
}

/** Returns the cursor of the leaf after `cursor` in depth-first order, or null past the last one. */
export function nextLeaf(root: PlanStep, cursor: PlanCursor): PlanCursor | null {
  for (let depth = cursor.length - 1; depth >= 0; depth -= 1) {
    const parent = stepAt(root, cursor.slice(0, depth));
    const sibling = (cursor[depth] ?? 0) + 1;
    if (parent?.type === 'sequence' && sibling < parent.steps.length) {
      const next = parent.steps[sibling];
      if (next !== undefined) return firstLeaf(next, [...cursor.slice(0, depth), sibling]);
    }
  }
  return null;
}

/** Returns the ids of the sequences enclosing the cursor's step, outermost first, and the step. */
export function stepPath(root: PlanStep, cursor: PlanCursor): string[] {
  const ids = [root.id];
  let node: PlanStep | undefined = root;
  for (const index of cursor) {
    node = node?.type === 'sequence' ? node.steps[index] : undefined;
    if (node === undefined) break;
    ids.push(node.id);
  }
  return ids;
}
