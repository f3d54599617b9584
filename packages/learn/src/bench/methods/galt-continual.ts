import type { InterfaceProbe } from '../../classifier/interface-probe.js';
import { crossEntropy, marginRows } from '../../classifier/logit-functions.js';
import { GaltUpdater } from '../../updater/galt-updater.js';
import type { GaltOptions } from '../../updater/options.js';
import type { RowValue } from '../../updater/row-state.js';
import type { BufferItem } from '../reservoir-buffer.js';
import { type DerWeights, derGradient } from './derpp.js';
import { InterfaceRows, type MeasuredEdgeRow } from './interface-rows.js';
import {
  type Batch,
  type ContinualMethod,
  concatBatches,
  itemsToBatch,
  type MethodContext,
} from './method.js';

/** Settings of the GALT method in the continual benchmark. */
export interface GaltContinualOptions {
  /** Retention rows evaluated per step, sampled from anchored buffer items. */
  rowsPerStep?: number;
  /** Cross-entropy rise over its anchor a retention row may take. */
  tolerance?: number;
  /**
   * Task term on the incoming batch: cross-entropy over all classes, or ER-ACE's asymmetric
   * cross-entropy over only the classes present in the batch. The asymmetric term keeps a new
   * task from pushing old-class logits down, which biases the single head toward new classes.
   */
  incomingLoss?: 'full' | 'asymmetric';
  /**
   * Incoming examples per step that get a margin row C = margin − (z_y − max_{j≠y} z_j) ≤ 0, so
   * the new classes must still lead on their own images; 0 turns the rows off.
   */
  incomingRows?: number;
  /** Logit lead that an incoming margin row requires. */
  incomingMargin?: number;
  /** Weights of the DER++ replay terms; α 0.2 and β 1 by default. */
  der?: DerWeights;
  /** Row-only GALT steps at the end of a task while some retention row is violated. */
  repairSteps?: number;
  /** Draw separate buffer minibatches for DER++'s two replay terms, as DER++ itself does. */
  separateReplay?: boolean;
  /**
   * Anchored buffer examples per step on which each forward-consistency edge row is measured.
   * The row is the mean squared drift of a hidden activation, and 0 turns the edge rows off.
   */
  interfaceRows?: number;
  /** Mean squared drift of a hidden activation from its anchor that an edge row allows. */
  interfaceTolerance?: number;
  updater?: Omit<GaltOptions, 'blocks' | 'edges'>;
}

/** 0.05: a hidden unit may drift by about 0.22 (root mean square) from its anchored value. */
const DEFAULT_INTERFACE_TOLERANCE = 0.05;

/** Returns the forward-consistency edge of hidden activation `layer` of the benchmark MLP. */
function hiddenEdge(layer: number, tolerance: number) {
  return { id: `hidden-${layer}`, from: `b${layer}`, to: `w${layer + 1}`, tolerance };
}

/** 32 rows: each costs one per-example back-propagation, a quarter of a 128-example batch. */
const DEFAULT_ROWS_PER_STEP = 32;
/** 0.5 nats: a retained example keeps at least about 60% of its anchored probability. */
const DEFAULT_TOLERANCE = 0.5;

/**
 * Half a logit of lead for an incoming example. With 8 rows per step it gave the best mean
 * accuracy on the validation split (Split-MNIST, buffer 200, seeds 0–2) among margins 0.5 and 1
 * and 8 or 16 rows.
 */
const DEFAULT_INCOMING_MARGIN = 0.5;
const DEFAULT_INCOMING_ROWS = 8;
/**
 * DER++'s weights with α lowered to 0.2: under the asymmetric task term the logits stored for
 * current-task buffer examples do not separate new from old classes, so matching them strongly
 * slows learning of the newest task. Chosen on the validation split from α in {0, 0.1, 0.2, 0.5}.
 */
const GALT_DER_WEIGHTS: DerWeights = { alpha: 0.2, beta: 1 };

/** Twenty row-only steps: enough to clear the few rows a task leaves violated, bounded in cost. */
const DEFAULT_REPAIR_STEPS = 20;

/** Per-task record of the GALT method's retention rows. */
export interface ConstraintSatisfaction {
  task: number;
  rows: number;
  /** Rows with C ≤ 0 (cross-entropy within tolerance of the anchor) at the end of the task. */
  satisfied: number;
  /** Row-only steps taken at the task end before measuring. */
  repairSteps: number;
  /** With edge rows on: true when every edge row was satisfied on all its anchored items. */
  interfacesSatisfied?: boolean;
}

/** Sweeps the block solve used over a run. */
export interface BlockSweepCount {
  steps: number;
  sweeps: number;
  capped: number;
}

/** The GALT method with its per-task constraint report. */
export interface GaltContinualMethod extends ContinualMethod {
  readonly satisfaction: ConstraintSatisfaction[];
  /** Block-solve sweeps over all steps, and the steps that stopped at `maxBlockSweeps`. */
  readonly sweeps: BlockSweepCount;
}

/**
 * GALT in the continual benchmark. The task term is DER++'s objective on one shared buffer
 * minibatch, with ER-ACE's asymmetric cross-entropy on the incoming batch by default. Buffer items
 * from earlier tasks are retention rows C = CE(x) − (anchor + tolerance) ≤ 0, with anchors taken
 * at the end of the task that stored x. Once a task has ended, the first incoming examples of each
 * step also get margin rows. They push the runner-up logit down only on new images whose label
 * no longer leads by the margin, where the asymmetric term alone would not.
 * NOTE: the retention rows cover only the buffer examples and held at every task end on
 * Split-MNIST, so they do not by themselves protect accuracy on unseen images of old tasks.
 * With `interfaceRows` > 0 and one probe per hidden activation (`probes[l]` measures hidden
 * activation l), each hidden layer also gets a forward-consistency edge row.
 */
export function createGaltContinual(
  context: MethodContext,
  options: GaltContinualOptions = {},
  probes: readonly InterfaceProbe[] = [],
): GaltContinualMethod {
  const rowsPerStep = options.rowsPerStep ?? DEFAULT_ROWS_PER_STEP;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const der = options.der ?? GALT_DER_WEIGHTS;
  const incomingLoss = options.incomingLoss ?? 'asymmetric';
  const incomingRows = options.incomingRows ?? DEFAULT_INCOMING_ROWS;
  const repairSteps = options.repairSteps ?? DEFAULT_REPAIR_STEPS;
  const interfaceTolerance = options.interfaceTolerance ?? DEFAULT_INTERFACE_TOLERANCE;
  const interfaces = probes.map((probe, layer) => ({
    probe,
    edge: hiddenEdge(layer, interfaceTolerance),
  }));
  const edgeRows =
    interfaces.length > 0 && (options.interfaceRows ?? 0) > 0
      ? new InterfaceRows(interfaces, options.interfaceRows!, context)
      : undefined;
  const updater = new GaltUpdater({
    ...options.updater,
    blocks: blocksOf(context),
    edges: edgeRows?.edges ?? [],
  });
  const anchors = new Map<number, number>();
  const satisfaction: ConstraintSatisfaction[] = [];
  const sweeps: BlockSweepCount = { steps: 0, sweeps: 0, capped: 0 };
  const maxSweeps = updater.options.maxBlockSweeps;

  const evaluateRows = async (items: readonly BufferItem[]) => {
    const batch = itemsToBatch(items, context.model.inputSize);
    const logits = await context.model.forward(batch.features, batch.count);
    const losses = crossEntropy(logits, batch.labels, context.model.classes);
    const rows: RowValue[] = items.map((item, i) => ({
      id: `item-${item.serial}`,
      kind: 'replay',
      hard: false,
      value: losses.values[i]! - (anchors.get(item.serial)! + tolerance),
    }));
    return { batch, rows, logitGradient: losses.logitGradient };
  };

  // Row ids name batch positions, so each position keeps one multiplier across steps.
  const evaluateIncoming = async (batch: Batch, count: number): Promise<RowEvaluation> => {
    const classes = context.model.classes;
    const rowCount = Math.min(count, batch.count);
    const picked: Batch = {
      features: batch.features.subarray(0, rowCount * context.model.inputSize),
      labels: batch.labels.slice(0, rowCount),
      count: rowCount,
    };
    const logits = await context.model.forward(picked.features, rowCount);
    const margins = new Array<number>(rowCount).fill(
      options.incomingMargin ?? DEFAULT_INCOMING_MARGIN,
    );
    const measured = marginRows(logits, picked.labels, margins, classes);
    const rows: RowValue[] = picked.labels.map((_, i) => ({
      id: `incoming-${i}`,
      kind: 'replay',
      hard: false,
      value: measured.values[i]!,
    }));
    return { batch: picked, rows, logitGradient: measured.logitGradient };
  };

  /** Evaluates the rows of `items`, recomputes the Jacobian rows the updater lists as stale, and takes one step. */
  const constrainedStep = async (
    items: readonly BufferItem[],
    gradient: Float32Array,
    extra?: RowEvaluation,
  ) => {
    const retained = await evaluateRows(items);
    const evaluation = extra === undefined ? retained : mergeEvaluations(retained, extra, context);
    const edges: MeasuredEdgeRow[] = (await edgeRows?.measure()) ?? [];
    const rows = [...evaluation.rows, ...edges.map((edge) => edge.row)];
    const refresh = new Set(updater.rowsToRefresh(rows, gradient));
    const picked = evaluation.rows
      .map((_, i) => i)
      .filter((i) => refresh.has(evaluation.rows[i]!.id));
    const jacobians = await jacobianRows(picked, evaluation);
    for (const edge of edges) jacobians.set(edge.row.id, edge.jacobian);
    const report = updater.step({
      parameters: context.model.parameters,
      gradient,
      rows,
      jacobians,
    });
    sweeps.steps += 1;
    sweeps.sweeps += report.blockSweeps;
    if (report.blockSweeps >= maxSweeps && report.blockResidual > updater.options.blockTolerance) {
      sweeps.capped += 1;
    }
  };

  const jacobianRows = async (picked: readonly number[], evaluation: RowEvaluation) => {
    const jacobians = new Map<string, Float32Array>();
    if (picked.length === 0) return jacobians;
    const classes = context.model.classes;
    const inputSize = context.model.inputSize;
    const features = new Float32Array(picked.length * inputSize);
    const weights = new Float32Array(picked.length * classes);
    picked.forEach((source, i) => {
      features.set(
        evaluation.batch.features.subarray(source * inputSize, (source + 1) * inputSize),
        i * inputSize,
      );
      weights.set(
        evaluation.logitGradient.subarray(source * classes, (source + 1) * classes),
        i * classes,
      );
    });
    context.backpropagated.examples += picked.length;
    const rows = await context.model.jacobian(features, picked.length, weights);
    const d = context.model.dimension;
    picked.forEach((source, i) => {
      jacobians.set(evaluation.rows[source]!.id, rows.subarray(i * d, (i + 1) * d));
    });
    return jacobians;
  };

  return {
    name: 'galt',
    satisfaction,
    sweeps,
    async trainStep(batch) {
      const items = context.buffer.sample(context.batchSize, context.random);
      const second = options.separateReplay
        ? context.buffer.sample(context.batchSize, context.random)
        : items;
      const incoming = incomingLoss === 'asymmetric' ? new Set(batch.labels) : undefined;
      const gradient = await derGradient(context, batch, items, second, der, incoming);
      const anchored = context.buffer.items.filter((item) => anchors.has(item.serial));
      const extra =
        incomingRows > 0 && anchors.size > 0
          ? await evaluateIncoming(batch, incomingRows)
          : undefined;
      await constrainedStep(sampleDistinct(anchored, rowsPerStep, context), gradient, extra);
    },
    async endTask(task) {
      const anchored = context.buffer.items.filter((item) => anchors.has(item.serial));
      let feasible = true;
      let record: ConstraintSatisfaction | undefined;
      if (anchored.length > 0) {
        let steps = 0;
        let rows = (await evaluateRows(anchored)).rows;
        while (steps < repairSteps && rows.some((row) => row.value > 0)) {
          await constrainedStep(anchored, new Float32Array(context.model.dimension));
          rows = (await evaluateRows(anchored)).rows;
          steps += 1;
        }
        const satisfied = rows.filter((row) => row.value <= 0).length;
        record = { task, rows: rows.length, satisfied, repairSteps: steps };
        satisfaction.push(record);
        feasible = satisfied === rows.length;
      }
      if (edgeRows !== undefined) {
        const satisfied = await edgeRows.isSatisfied();
        if (record !== undefined) record.interfacesSatisfied = satisfied;
        // Interface anchors come only from a state that satisfies every retention and edge row.
        if (feasible && satisfied) await edgeRows.refresh();
      }
      const fresh = context.buffer.items.filter((item) => !anchors.has(item.serial));
      if (fresh.length > 0) {
        const batch = itemsToBatch(fresh, context.model.inputSize);
        const logits = await context.model.forward(batch.features, batch.count);
        const { values } = crossEntropy(logits, batch.labels, context.model.classes);
        fresh.forEach((item, i) => {
          anchors.set(item.serial, values[i]!);
        });
      }
      const kept = new Set(context.buffer.items.map((item) => item.serial));
      for (const serial of [...anchors.keys()]) if (!kept.has(serial)) anchors.delete(serial);
    },
  };
}

/** Rows measured on a batch, with the logit gradient of each row for its Jacobian. */
interface RowEvaluation {
  batch: Batch;
  rows: RowValue[];
  logitGradient: Float32Array;
}

function mergeEvaluations(
  first: RowEvaluation,
  second: RowEvaluation,
  context: MethodContext,
): RowEvaluation {
  const logitGradient = new Float32Array(first.logitGradient.length + second.logitGradient.length);
  logitGradient.set(first.logitGradient);
  logitGradient.set(second.logitGradient, first.logitGradient.length);
  return {
    batch: concatBatches([first.batch, second.batch], context.model.inputSize),
    rows: [...first.rows, ...second.rows],
    logitGradient,
  };
}

function blocksOf(context: MethodContext) {
  return context.model.parameterNames.map((name, index) => ({
    name,
    parameters: [name],
    size: context.parameterArrays[index]!.length,
  }));
}

function sampleDistinct(
  items: readonly BufferItem[],
  count: number,
  context: MethodContext,
): BufferItem[] {
  if (items.length <= count) return [...items];
  return context.random.shuffle(items).slice(0, count);
}
