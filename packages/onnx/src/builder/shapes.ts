import type { Dim } from '../graph.js';

/** Shape problem inside a rule. The builder wraps it in a GraphError that names the node. */
export class ShapeProblem extends Error {}

/** Returns the broadcast shape of two shapes by the NumPy rule ONNX uses. */
export function broadcastShapes(left: readonly Dim[], right: readonly Dim[]): Dim[] {
  const rank = Math.max(left.length, right.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const a = left[left.length - rank + i] ?? 1;
    const b = right[right.length - rank + i] ?? 1;
    out.push(broadcastDim(a, b, left, right));
  }
  return out;
}

function broadcastDim(a: Dim, b: Dim, left: readonly Dim[], right: readonly Dim[]): Dim {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  // A symbolic dimension may stand for any size, so it yields to a fixed one.
  if (typeof a === 'string' && typeof b === 'number') return b;
  if (typeof b === 'string' && typeof a === 'number') return a;
  throw new ShapeProblem(`shapes ${formatShape(left)} and ${formatShape(right)} do not broadcast`);
}

/** Formats a shape as `[batch, 3]` for messages. */
export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`;
}

/** Resolves a possibly negative axis against `rank`, or throws a ShapeProblem. */
export function normalizeAxis(axis: number, rank: number): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= rank) {
    throw new ShapeProblem(`axis ${axis} is out of range for rank ${rank}`);
  }
  return resolved;
}

/** Returns true when two dimensions are known to be equal. */
export function sameDim(a: Dim, b: Dim): boolean {
  return a === b;
}

/** Returns the product of the fixed dimensions and the list of symbolic ones. */
export function splitDims(shape: readonly Dim[]): { fixed: number; symbols: string[] } {
  let fixed = 1;
  const symbols: string[] = [];
  for (const dim of shape) {
    if (typeof dim === 'number') fixed *= dim;
    else symbols.push(dim);
  }
  return { fixed, symbols };
}

/** Infers the output shape of Reshape, with 0 copying an input dimension and -1 inferred. */
export function reshapeShape(input: readonly Dim[], target: readonly number[]): Dim[] {
  const out: Dim[] = target.map((dim, i) => {
    if (dim !== 0) return dim;
    const copied = input[i];
    if (copied === undefined) throw new ShapeProblem(`reshape copies missing dimension ${i}`);
    return copied;
  });
  const inferred = out.indexOf(-1);
  if (out.lastIndexOf(-1) !== inferred) throw new ShapeProblem('reshape has more than one -1');
  const source = splitDims(input);
  const known = splitDims(out.filter((dim) => dim !== -1));
  const leftover = source.symbols.filter((symbol) => !known.symbols.includes(symbol));
  const extra = known.symbols.filter((symbol) => !source.symbols.includes(symbol));
  if (inferred === -1) {
    if (leftover.length > 0 || extra.length > 0 || source.fixed !== known.fixed) {
      throw new ShapeProblem(`cannot reshape ${formatShape(input)} to ${formatShape(out)}`);
    }
    return out;
  }
  if (extra.length > 0 || source.fixed % known.fixed !== 0) {
    throw new ShapeProblem(`cannot reshape ${formatShape(input)} to ${formatShape(out)}`);
  }
  out[inferred] = inferredDim(source.fixed / known.fixed, leftover);
  return out;
}

function inferredDim(factor: number, symbols: readonly string[]): Dim {
  if (symbols.length === 0) return factor;
  const parts = factor === 1 ? [...symbols] : [...symbols, String(factor)];
  return parts.join('*');
}
