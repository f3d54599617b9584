import type { GraphBuilder } from '../builder/graph-builder.js';
import { GraphError } from '../errors.js';
import type { Dim, Graph, GraphNode, Value, ValueInfo } from '../graph.js';
import { isFloatType } from '../tensor.js';
import { ELEMENTWISE_RULES } from './elementwise-rules.js';
import { LINEAR_RULES, linearPerExampleRules } from './linear-rules.js';
import { LOOKUP_PER_EXAMPLE_RULES, LOOKUP_RULES } from './lookup-rules.js';
import { checkRowIndependence } from './row-independence.js';
import type { Cotangent, PerExampleRule, RuleContext, VjpRule } from './rule-types.js';
import { STRUCTURAL_RULES } from './structural-rules.js';
import { perExampleReduce, unbroadcast } from './unbroadcast.js';

const VJP_RULES: Readonly<Record<string, VjpRule>> = {
  ...ELEMENTWISE_RULES,
  ...LINEAR_RULES,
  ...STRUCTURAL_RULES,
  ...LOOKUP_RULES,
};

/** Operators that never pass a gradient on (comparisons, shape queries). */
const NON_DIFFERENTIABLE = new Set(['Equal', 'Greater', 'Shape', 'Size']);

/** Reduction mode of parameter cotangents: a sum over the batch, or one row per batch item. */
export type BackwardMode = { kind: 'sum' } | { kind: 'per_example'; batch: Dim };

/** Result of a backward pass: one cotangent per requested parameter (null when unconnected). */
export type ParameterCotangents = Map<string, Value | null>;

/** Returns the names of values that depend on any of `sources`. */
function dependents(graph: Graph, sources: Iterable<string>): Set<string> {
  const reached = new Set(sources);
  for (const node of graph.nodes) {
    if (node.inputs.some((name) => reached.has(name))) {
      for (const output of node.outputs) reached.add(output);
    }
  }
  return reached;
}

/** Returns the names of values that `target` depends on, itself included. */
function ancestors(graph: Graph, target: string): Set<string> {
  const needed = new Set([target]);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i] as GraphNode;
    if (node.outputs.some((name) => needed.has(name))) {
      for (const input of node.inputs) if (input !== '') needed.add(input);
    }
  }
  return needed;
}

/**
 * Emits the reverse pass from `target` (seeded with `seed`) into `builder`, returning the
 * cotangent of each parameter in `parameters`.
 */
export function emitBackward(
  builder: GraphBuilder,
  graph: Graph,
  target: string,
  seed: Value,
  parameters: readonly string[],
  mode: BackwardMode,
): ParameterCotangents {
  const parameterSet = new Set(parameters);
  const onPath = dependents(graph, parameters);
  const needed = ancestors(graph, target);
  const batchDependent = dependents(
    graph,
    graph.inputs.map((input) => input.name),
  );
  if (mode.kind === 'per_example') {
    checkRowIndependence(graph, target, mode.batch, needed, batchDependent);
  }
  const cotangents = new Map<string, Value>([[target, seed]]);
  const perExample = new Map<string, Value>();
  const perExampleRules = perExampleRuleTable(mode);

  const accumulate = (store: Map<string, Value>, name: string, value: Value) => {
    const previous = store.get(name);
    store.set(name, previous === undefined ? value : builder.add(previous, value));
  };

  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i] as GraphNode;
    const outputName = node.outputs[0] as string;
    const gradient = cotangents.get(outputName);
    if (gradient === undefined || !needed.has(outputName)) continue;
    const wants = node.inputs.map(
      (name) => name !== '' && onPath.has(name) && isFloat(graph, name),
    );
    if (!wants.some(Boolean)) continue;
    if (NON_DIFFERENTIABLE.has(node.op)) continue;
    const rule = VJP_RULES[node.op];
    if (rule === undefined) {
      throw new GraphError(node.name, `no gradient rule for ${node.op}`);
    }
    const context = ruleContext(builder, graph, node, gradient, wants);
    const results = rule(context);
    node.inputs.forEach((name, index) => {
      const result = results[index];
      if (!wants[index] || result === null || result === undefined) return;
      const input = context.inputs[index] as ValueInfo;
      const boundary =
        mode.kind === 'per_example' && !batchDependent.has(name) && batchDependent.has(outputName);
      if (boundary) {
        if (!parameterSet.has(name)) {
          throw new GraphError(
            node.name,
            `per-row gradients need parameter-only values to be parameters, but ${name} is computed`,
            'use the parameter directly as the operator input',
          );
        }
        const special = perExampleRules[node.op]?.(context, index) ?? null;
        const row =
          special ?? perExampleFromCotangent(builder, result, input, mode.batch, node.name);
        accumulate(perExample, name, row);
        return;
      }
      if (mode.kind === 'per_example' && !batchDependent.has(outputName)) {
        throw new GraphError(
          node.name,
          `per-row gradients cannot pass through ${node.op} on parameters`,
        );
      }
      const value =
        result.kind === 'exact' ? result.value : unbroadcast(builder, result.value, input);
      accumulate(cotangents, name, value);
    });
  }

  const out: ParameterCotangents = new Map();
  for (const name of parameters) {
    out.set(name, (mode.kind === 'sum' ? cotangents.get(name) : perExample.get(name)) ?? null);
  }
  return out;
}

function perExampleFromCotangent(
  builder: GraphBuilder,
  result: Cotangent,
  input: ValueInfo,
  batch: Dim,
  nodeName: string,
): Value {
  if (result.kind !== 'broadcast') {
    throw new GraphError(
      nodeName,
      `per-row gradients are not supported for ${input.name} as an input of this operator`,
    );
  }
  return perExampleReduce(builder, result.value, input, batch, nodeName);
}

function perExampleRuleTable(mode: BackwardMode): Record<string, PerExampleRule> {
  if (mode.kind === 'sum') return {};
  const batch = mode.batch;
  return { ...linearPerExampleRules(batch), ...LOOKUP_PER_EXAMPLE_RULES };
}

function isFloat(graph: Graph, name: string): boolean {
  const info = graph.values[name];
  return info !== undefined && isFloatType(info.type);
}

function ruleContext(
  builder: GraphBuilder,
  graph: Graph,
  node: GraphNode,
  gradient: Value,
  wants: readonly boolean[],
): RuleContext {
  return {
    builder,
    node,
    inputs: node.inputs.map((name) => (name === '' ? null : (graph.values[name] ?? null))),
    output: graph.values[node.outputs[0] as string] as ValueInfo,
    gradient,
    needs: (index) => wants[index] === true,
  };
}
