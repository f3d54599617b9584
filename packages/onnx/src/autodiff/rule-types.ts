import type { GraphBuilder } from '../builder/graph-builder.js';
import type { Attribute, GraphNode, Value, ValueInfo } from '../graph.js';

/**
 * Cotangent of one node input. An `exact` cotangent has the input's shape. A `broadcast` one has
 * the output's shape and still has to be summed over the axes that broadcasting stretched.
 */
export type Cotangent = { kind: 'exact'; value: Value } | { kind: 'broadcast'; value: Value };

/** Node, operands and output cotangent passed to a differentiation rule. */
export interface RuleContext {
  builder: GraphBuilder;
  node: GraphNode;
  /** Input infos in node order, with null for an omitted optional input. */
  inputs: readonly (ValueInfo | null)[];
  output: ValueInfo;
  /** Cotangent of the node's output. */
  gradient: Value;
  /** Returns true when input `index` needs a cotangent. */
  needs(index: number): boolean;
}

/** Reverse-mode rule: cotangents of the inputs from the cotangent of the output. */
export type VjpRule = (context: RuleContext) => (Cotangent | null)[];

/**
 * Rule for the per-row gradient of a parameter input: a `[batch, size]` value, or null when the
 * generic reduction of the broadcast cotangent applies to that input.
 */
export type PerExampleRule = (context: RuleContext, index: number) => Value | null;

/** Returns the input info at `index`, which the shape rules guarantee to exist. */
export function inputAt(context: RuleContext, index: number): ValueInfo {
  return context.inputs[index] as ValueInfo;
}

/** Returns an integer attribute or its default. */
export function intAttribute(context: RuleContext, name: string, fallback: number): number {
  const attribute: Attribute | undefined = context.node.attributes[name];
  return attribute?.kind === 'int' ? attribute.value : fallback;
}

/** Returns a float attribute or its default. */
export function floatAttribute(context: RuleContext, name: string, fallback: number): number {
  const attribute: Attribute | undefined = context.node.attributes[name];
  return attribute?.kind === 'float' ? attribute.value : fallback;
}

/** Returns an integer-list attribute, if present. */
export function intsAttribute(context: RuleContext, name: string): readonly number[] | undefined {
  const attribute: Attribute | undefined = context.node.attributes[name];
  return attribute?.kind === 'ints' ? attribute.value : undefined;
}

/** Wraps a value as an exact cotangent. */
export const exact = (value: Value): Cotangent => ({ kind: 'exact', value });

/** Wraps a value as a broadcast-shaped cotangent. */
export const broadcast = (value: Value): Cotangent => ({ kind: 'broadcast', value });
