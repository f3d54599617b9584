import { GaltError } from '@galt/core';
import { z } from 'zod';

/** A group of parameters that shares one Adam metric floor and learning rate. */
export interface ParameterBlock {
  name: string;
  /** Parameter names in layout order; the flat vector of the block is their concatenation. */
  parameters: string[];
  /** Total element count of the block's parameters. */
  size: number;
  /** Learning rate of this block; defaults to the updater's `learningRate`. */
  learningRate?: number | undefined;
}

/** A forward-consistency edge: the interface that block `from` produces and block `to` consumes. */
export interface BlockEdge {
  id: string;
  from: string;
  to: string;
  /** Mean squared drift of the interface activation from its anchor that the edge allows. */
  tolerance: number;
}

const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();

const ParameterBlockSchema = z.object({
  name: z.string().min(1),
  parameters: z.array(z.string().min(1)).min(1),
  size: z.number().int().positive(),
  learningRate: positive.optional(),
});

const BlockEdgeSchema = z.object({
  id: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  tolerance: nonNegative,
});

/** Gauss–Seidel tolerance on linearised row values: far below the 0.05 active-set margin. */
const DEFAULT_BLOCK_TOLERANCE = 1e-6;
/**
 * Sweep cap. On quick Split-MNIST (six per-parameter blocks) steps took 44 sweeps on average and
 * none reached 500, while a cap of 50 stopped a third of them early. A sweep costs O(k²) per block.
 */
const DEFAULT_MAX_BLOCK_SWEEPS = 500;

/** Options of `GaltUpdater`; every field except `blocks` has a default. */
export const GaltOptionsSchema = z.object({
  blocks: z.array(ParameterBlockSchema).min(1),
  /** Forward-consistency edges between blocks, listed in forward order. */
  edges: z.array(BlockEdgeSchema).default([]),
  /**
   * Block solve that shares the duals. `joint` solves all blocks at once, which splits each force
   * in proportion to J_b D_b⁻¹ J_bᵀ. `gauss-seidel` visits blocks in order, each solving for its
   * own slice with the others held fixed, and sweeps until the linearised rows settle.
   */
  blockSolve: z.enum(['joint', 'gauss-seidel']).default('joint'),
  /** Gauss–Seidel stops once no linearised row value moved more than this in a sweep. */
  blockTolerance: positive.default(DEFAULT_BLOCK_TOLERANCE),
  /** Gauss–Seidel stops after this many sweeps even when the tolerance is not met. */
  maxBlockSweeps: z.number().int().positive().default(DEFAULT_MAX_BLOCK_SWEEPS),
  learningRate: positive.default(1e-3),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  epsilon: positive.default(1e-8),
  /** `D` floor as a fraction of the block's mean `D`, so untouched coordinates do not absorb corrections. */
  metricFloorRatio: nonNegative.default(0.1),
  /**
   * Bound on the D-weighted RMS of the displacement, in units of the learning rate. Three Adam
   * steps' worth: at 10, row-only repair steps on Split-Fashion-MNIST erased the newest task.
   */
  trustRadius: positive.default(3),
  /** A row enters the active set when `C > −enterMargin`. */
  enterMargin: nonNegative.default(0.05),
  /** An active row leaves only when `C < −exitMargin` (hysteresis, so rows do not flicker). */
  exitMargin: nonNegative.default(0.2),
  /** Cap on λ: larger forces only push the step to the trust radius for longer after a row clears. */
  lambdaMax: positive.default(10),
  initialRho: positive.default(10),
  rhoFloor: positive.default(1),
  rhoMax: positive.default(1e6),
  rhoGrowth: z.number().gt(1).finite().default(2),
  rhoDecay: z.number().gt(0).max(1).default(0.5),
  /** ρ grows when a violation did not fall below this fraction of the previous one. */
  stallRatio: z.number().gt(0).max(1).default(0.5),
  /** Inner steps between outer (multiplier, penalty and anchor) updates. */
  outerPeriod: z.number().int().positive().default(1),
  /** Inner steps a cached Jacobian row may be reused for. */
  jacobianPeriod: z.number().int().positive().default(1),
  /** Cached rows are refreshed when cos(−gradient, J_e) exceeds this value. */
  alignmentThreshold: z.number().min(-1).max(1).default(0.3),
  /** Fraction of (anchor − θ) added to every step: the proximal pull. */
  proximalWeight: z.number().min(0).lt(1).default(0),
  initialJitter: positive.default(1e-10),
  maxJitter: positive.default(1e-2),
});

/** Caller-facing options: every field except `blocks` is optional. */
export type GaltOptions = z.input<typeof GaltOptionsSchema>;
/** Options with every default filled in. */
export type ResolvedGaltOptions = z.output<typeof GaltOptionsSchema>;

/** Validates options and fills defaults, throwing `invalid_config` with the failing paths. */
export function resolveGaltOptions(options: GaltOptions): ResolvedGaltOptions {
  const parsed = GaltOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.filter((key) => typeof key !== 'symbol') as (string | number)[],
      code: issue.code,
      message: issue.message,
    }));
    throw new GaltError('invalid_config', 'invalid GALT updater options', {
      issues,
      remedy: 'fix the options listed in issues',
    });
  }
  const resolved = parsed.data;
  if (resolved.exitMargin < resolved.enterMargin) {
    throw new GaltError('invalid_config', 'exitMargin must be at least enterMargin', {
      remedy: `set exitMargin ≥ ${resolved.enterMargin}`,
    });
  }
  checkEdges(resolved.blocks, resolved.edges);
  return resolved;
}

/** Checks that every edge joins two distinct declared blocks, in forward order, with a unique id. */
function checkEdges(blocks: readonly ParameterBlock[], edges: readonly BlockEdge[]): void {
  const order = new Map(blocks.map((block, index) => [block.name, index]));
  const ids = new Set<string>();
  edges.forEach((edge, index) => {
    const fail = (message: string, remedy: string) => {
      throw new GaltError('invalid_config', `edge ${edge.id}: ${message}`, {
        issues: [{ path: ['edges', index], code: 'invalid_edge', message }],
        remedy,
      });
    };
    if (ids.has(edge.id)) fail('the id is used twice', 'give every edge its own id');
    ids.add(edge.id);
    for (const end of [edge.from, edge.to]) {
      if (!order.has(end)) fail(`block ${end} is not declared`, 'name blocks listed in `blocks`');
    }
    if (edge.from === edge.to) fail('from and to are the same block', 'join two different blocks');
    if (order.get(edge.from)! > order.get(edge.to)!) {
      fail('from comes after to', 'list blocks in forward order and point edges forward');
    }
  });
}
