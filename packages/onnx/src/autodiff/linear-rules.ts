import type { GraphBuilder } from '../builder/graph-builder.js';
import { GraphError } from '../errors.js';
import type { Value } from '../graph.js';
import {
  broadcast,
  exact,
  floatAttribute,
  inputAt,
  intAttribute,
  type PerExampleRule,
  type RuleContext,
  type VjpRule,
} from './rule-types.js';
import { staticSize } from './unbroadcast.js';

/** Swaps the last two axes. */
function swapLast(builder: GraphBuilder, value: Value): Value {
  const rank = value.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return builder.transpose(value, perm);
}

function scaled(context: RuleContext, value: Value, factor: number): Value {
  if (factor === 1) return value;
  return context.builder.mul(value, context.builder.scalar(factor, value.type));
}

const matMul: VjpRule = (context) => {
  const { builder, gradient } = context;
  const a = inputAt(context, 0);
  const b = inputAt(context, 1);
  return [
    context.needs(0) ? broadcast(builder.matMul(gradient, swapLast(builder, b))) : null,
    context.needs(1) ? broadcast(builder.matMul(swapLast(builder, a), gradient)) : null,
  ];
};

const gemm: VjpRule = (context) => {
  const { builder, gradient } = context;
  const alpha = floatAttribute(context, 'alpha', 1);
  const beta = floatAttribute(context, 'beta', 1);
  const transA = intAttribute(context, 'transA', 0) === 1;
  const transB = intAttribute(context, 'transB', 0) === 1;
  const a = inputAt(context, 0);
  const b = inputAt(context, 1);
  const effectiveA = transA ? builder.transpose(a, [1, 0]) : a;
  const effectiveB = transB ? builder.transpose(b, [1, 0]) : b;

  let gradientA: Value | null = null;
  if (context.needs(0)) {
    const product = scaled(
      context,
      builder.matMul(gradient, builder.transpose(effectiveB, [1, 0])),
      alpha,
    );
    gradientA = transA ? builder.transpose(product, [1, 0]) : product;
  }

  let gradientB: Value | null = null;
  if (context.needs(1)) {
    const product = scaled(
      context,
      builder.matMul(builder.transpose(effectiveA, [1, 0]), gradient),
      alpha,
    );
    gradientB = transB ? builder.transpose(product, [1, 0]) : product;
  }

  const gradientC = context.needs(2) ? broadcast(scaled(context, gradient, beta)) : null;
  return [
    gradientA === null ? null : exact(gradientA),
    gradientB === null ? null : exact(gradientB),
    gradientC,
  ];
};

function requireBatchFirst(context: RuleContext, value: Value, batch: string | number): void {
  if (value.shape[0] !== batch) {
    throw new GraphError(
      context.node.name,
      `per-row gradient needs ${value.name} to have the batch axis first, got [${value.shape.join(', ')}]`,
    );
  }
}

/** Per-row weight gradient of `x @ W`: the outer product of each row's input and cotangent. */
function perExampleMatMul(batch: string | number): PerExampleRule {
  return (context, index) => {
    const { builder, gradient, node } = context;
    const x = inputAt(context, 0);
    const weight = inputAt(context, 1);
    if (index !== 1 || weight.shape.length !== 2) {
      throw new GraphError(
        node.name,
        'per-row gradients support only a rank-2 parameter as MatMul input B',
      );
    }
    requireBatchFirst(context, x, batch);
    const [inner, outer] = weight.shape as [number, number];
    const rows = builder.reshape(x, [0, -1, inner]);
    const cotangents = builder.reshape(gradient, [0, -1, outer]);
    const outerProducts = builder.matMul(builder.transpose(rows, [0, 2, 1]), cotangents);
    return builder.reshape(outerProducts, [0, staticSize(weight, node.name)]);
  };
}

/** Per-row gradient of Gemm's B: the outer product of each row of A' and of the cotangent. */
function perExampleGemm(batch: string | number): PerExampleRule {
  return (context, index) => {
    const { builder, gradient, node } = context;
    if (index === 2) return null;
    if (index !== 1) {
      throw new GraphError(
        node.name,
        'per-row gradients support a parameter only as Gemm input B or C',
      );
    }
    const transA = intAttribute(context, 'transA', 0) === 1;
    const transB = intAttribute(context, 'transB', 0) === 1;
    const a = inputAt(context, 0);
    const effectiveA = transA ? builder.transpose(a, [1, 0]) : a;
    requireBatchFirst(context, effectiveA, batch);
    const alpha = floatAttribute(context, 'alpha', 1);
    const columns = builder.unsqueeze(effectiveA, [2]);
    const rows = builder.unsqueeze(gradient, [1]);
    const product = transB
      ? builder.matMul(swapLast(builder, rows), swapLast(builder, columns))
      : builder.matMul(columns, rows);
    const weight = inputAt(context, 1);
    return builder.reshape(scaled(context, product, alpha), [0, staticSize(weight, node.name)]);
  };
}

export const LINEAR_RULES: Readonly<Record<string, VjpRule>> = { MatMul: matMul, Gemm: gemm };

/** Per-row rules of the linear operators, for a batch dimension `batch`. */
export function linearPerExampleRules(batch: string | number): Record<string, PerExampleRule> {
  return { MatMul: perExampleMatMul(batch), Gemm: perExampleGemm(batch) };
}
