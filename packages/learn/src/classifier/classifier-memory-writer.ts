import { GaltError, isGaltError, type Logger, noopLogger } from '@galt/core';
import type { ExecutionProvider, Graph } from '@galt/onnx';
import type { ConstraintRowReport, ParametricWriteRecord, SolveMode } from '@galt/protocol';
import { GaltUpdater } from '../updater/galt-updater.js';
import type { GaltOptions, ParameterBlock } from '../updater/options.js';
import type { RowValue } from '../updater/row-state.js';
import type { ClassifierModel, PassCounter } from './classifier-model.js';
import { crossEntropy, mean } from './logit-functions.js';
import type { MemoryWriter } from './memory-writer.js';
import { OnnxClassifier } from './onnx-classifier.js';
import { type RowEvaluation, RowSet } from './row-set.js';
import {
  buildWriteRecord,
  checkFinite,
  type StepTrace,
  type WriteContext,
} from './write-record.js';
import { packFeatures, parseWriteRequest, type WriteRequest } from './write-request.js';
import { decodeWriterState, encodeWriterState } from './writer-snapshot.js';

/** Options of a `ClassifierMemoryWriter`. */
export interface ClassifierMemoryWriterOptions {
  /** The classifier; its `parameterNames` must be the blocks' parameters in block order. */
  model: ClassifierModel;
  blocks: ParameterBlock[];
  /** Updater settings other than the blocks. */
  updater?: Omit<GaltOptions, 'blocks'>;
  /** Inner GALT steps per write. */
  steps?: number;
  /** Extra row-only steps, taken only while a hard row is violated after the task steps. */
  repairSteps?: number;
  /** Logit margin a safety probe keeps when the probe does not set one. */
  defaultMargin?: number;
  /** Cross-entropy rise a retention row may take when the row does not set one. */
  retentionTolerance?: number;
  /** A hard row counts as violated after the step when C exceeds this value. */
  hardTolerance?: number;
  logger?: Logger;
}

/** Options of `ClassifierMemoryWriter.create`: a graph in place of a ready model. */
export interface ClassifierGraphWriterOptions extends Omit<ClassifierMemoryWriterOptions, 'model'> {
  /** A graph built with @galt/onnx `GraphBuilder` with float32 features in and logits out. */
  graph: Graph;
  inputName: string;
  /** The `[batch, classes]` logits value. */
  logitsName: string;
  /** Values of every graph parameter; block parameters are updated in place on commit. */
  parameters: ReadonlyMap<string, Float32Array>;
  executionProvider?: ExecutionProvider;
}

/** Five steps move a small memory head well while keeping one write cheap. */
const DEFAULT_STEPS = 5;
/** One logit of lead keeps a probe's class clearly ahead of the runner-up. */
const DEFAULT_MARGIN = 1;
/** 0.1 nats lets a retained example's probability fall by at most about 10%. */
const DEFAULT_RETENTION_TOLERANCE = 0.1;
/**
 * A write commits only when every hard row has C ≤ −1e-5, a buffer below zero. Float32 rounding
 * on logits near 10 is about 1e-6, so a checker that recomputes the logits another way still
 * finds C ≤ 0 on every committed write.
 */
export const DEFAULT_HARD_TOLERANCE = -1e-5;
/** Stiff rows from the first step: one solve shrinks a violated row's linearised value by 1/(1 + ρ‖J_e‖²_{M⁻¹}). */
const DEFAULT_WRITE_RHO = 100;
/** Probes enter the solve half a logit before they break, so the step can steer around them. */
const DEFAULT_WRITE_ENTER_MARGIN = 0.5;
/** Row-only steps after the task steps, while a hard row is still violated. */
const DEFAULT_REPAIR_STEPS = 5;
/** A write's learning rate: larger than training's 1e-3 so a handful of steps can store a memory. */
const DEFAULT_WRITE_LEARNING_RATE = 1e-2;

const MODE_ORDER: readonly SolveMode[] = [
  'adam',
  'sherman_morrison',
  'woodbury',
  'woodbury_jitter',
];

/**
 * Writes admitted examples into a classifier's parameters with a constrained GALT update, then
 * measures the hard rows and commits or rolls back. Parameter values are mutated in place only
 * on commit. Every write returns a `ParametricWriteRecord` for the ledger.
 */
export class ClassifierMemoryWriter implements MemoryWriter {
  private updater: GaltUpdater;
  private anchors = new Map<string, number>();
  private writeCount = 0;
  private readonly model: ClassifierModel;
  private readonly logger: Logger;
  private readonly settings: Required<
    Omit<ClassifierMemoryWriterOptions, 'model' | 'blocks' | 'updater' | 'logger'>
  >;

  constructor(options: ClassifierMemoryWriterOptions) {
    this.model = options.model;
    this.logger = options.logger ?? noopLogger;
    this.settings = {
      steps: options.steps ?? DEFAULT_STEPS,
      repairSteps: options.repairSteps ?? DEFAULT_REPAIR_STEPS,
      defaultMargin: options.defaultMargin ?? DEFAULT_MARGIN,
      retentionTolerance: options.retentionTolerance ?? DEFAULT_RETENTION_TOLERANCE,
      hardTolerance: options.hardTolerance ?? DEFAULT_HARD_TOLERANCE,
    };
    const expected = options.blocks.flatMap((block) => block.parameters);
    if (expected.join('\n') !== this.model.parameterNames.join('\n')) {
      throw new GaltError(
        'invalid_config',
        'the model trains different parameters than the blocks list',
        {
          remedy: `create the model over [${expected.join(', ')}] in block order`,
        },
      );
    }
    this.updater = new GaltUpdater({
      learningRate: DEFAULT_WRITE_LEARNING_RATE,
      initialRho: DEFAULT_WRITE_RHO,
      enterMargin: DEFAULT_WRITE_ENTER_MARGIN,
      exitMargin: 2 * DEFAULT_WRITE_ENTER_MARGIN,
      ...options.updater,
      blocks: options.blocks,
    });
  }

  /**
   * Builds the writer over an ONNX graph: opens forward, gradient and Jacobian sessions for the
   * blocks' parameters on the requested execution provider.
   */
  static async create(options: ClassifierGraphWriterOptions): Promise<ClassifierMemoryWriter> {
    const { graph, inputName, logitsName, parameters, executionProvider, ...rest } = options;
    const model = await OnnxClassifier.create({
      graph,
      inputName,
      logitsName,
      parameters,
      trainable: options.blocks.flatMap((block) => block.parameters),
      ...(executionProvider === undefined ? {} : { executionProvider }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    return new ClassifierMemoryWriter({ ...rest, model });
  }

  /** The classifier the writer updates. */
  get classifier(): ClassifierModel {
    return this.model;
  }

  /** Inner steps each write takes. */
  get stepsPerWrite(): number {
    return this.settings.steps;
  }

  /** Learning rate of the write's updater. */
  get learningRate(): number {
    return this.updater.options.learningRate;
  }

  /** Retention anchors (cross-entropy at a feasible state) by row id. */
  anchorOf(id: string): number | undefined {
    return this.anchors.get(id);
  }

  /** Runs one constrained write and returns its ledger record; see the class comment. */
  async write(request: WriteRequest): Promise<ParametricWriteRecord> {
    const parsed = parseWriteRequest(request, this.model.inputSize, this.model.classes);
    const writeId = `${parsed.agentId}/${parsed.tick}/${this.writeCount}`;
    this.writeCount += 1;
    const passes: PassCounter = { forward: 0, backward: 0 };
    const rows = new RowSet(this.model, parsed, this.settings, passes);
    const saved = this.saveState();
    const context = { writeId, agentId: parsed.agentId, tick: parsed.tick, passes };
    // With nothing admitted, Adam's momentum from earlier writes would still move the parameters.
    if (parsed.admitted.length === 0) {
      return refusedRecord(
        context,
        'nothing was admitted, so nothing is written',
        this.model.dimension,
      );
    }
    try {
      return await this.constrainedWrite(parsed.admitted, rows, saved, context);
    } catch (error) {
      if (!isGaltError(error, 'non_finite_update')) throw error;
      this.restoreState(saved);
      this.logger.warn('memory write rejected: non-finite value', {
        writeId,
        reason: error.message,
      });
      return refusedRecord(context, error.message, this.model.dimension);
    }
  }

  /** Encodes the updater state, the retention anchors and the write counter as bytes. */
  snapshot(): Uint8Array {
    return encodeWriterState({
      anchors: this.anchors,
      writeCount: this.writeCount,
      updater: this.updater.snapshot(),
    });
  }

  /** Replaces this writer's state with bytes from `snapshot()`. */
  restore(bytes: Uint8Array): void {
    const state = decodeWriterState(bytes);
    this.updater = GaltUpdater.restore(state.updater);
    this.anchors = state.anchors;
    this.writeCount = state.writeCount;
  }

  private async constrainedWrite(
    admitted: readonly { features: ArrayLike<number>; label: number }[],
    rows: RowSet,
    saved: SavedState,
    context: WriteContext,
  ): Promise<ParametricWriteRecord> {
    const task = packFeatures(admitted, this.model.inputSize);
    const labels = admitted.map((example) => example.label);
    const initial = await rows.evaluate(this.anchors);
    const taskBefore = await this.taskLoss(task, labels, context.passes);
    checkFinite(taskBefore, initial.rows);
    const excluded = rows.anchorNewRows(initial, this.anchors, this.settings.hardTolerance);
    const before = await rows.evaluate(this.anchors);
    const trace = await this.runSteps(rows, before, task, labels, context.passes);

    const after = await rows.evaluate(this.anchors);
    const taskAfter = await this.taskLoss(task, labels, context.passes);
    checkFinite(taskAfter, after.rows);
    const violated = after.rows
      .filter((row) => row.hard && row.value > this.settings.hardTolerance)
      .map((row) => row.id);
    const delta = this.parameterDelta(saved);
    const outcome = violated.length === 0 ? 'committed' : 'rolled_back';
    if (outcome === 'rolled_back') {
      this.restoreState(saved);
      this.logger.info('memory write rolled back', { writeId: context.writeId, violated });
    }
    // A rolled-back write still raises λ of its violated rows, so a retry pushes harder.
    this.updater.updateDuals(after.rows);
    const reason =
      outcome === 'committed'
        ? 'every hard row holds after the step'
        : `hard rows violated after the step: ${violated.join(', ')}`;
    return buildWriteRecord(context, {
      outcome,
      reason:
        excluded.length === 0
          ? reason
          : `${reason}; unanchored retention rows skipped: ${excluded.join(', ')}`,
      delta: outcome === 'committed' ? delta : new Float32Array(delta.length),
      taskBefore,
      taskAfter: outcome === 'committed' ? taskAfter : taskBefore,
      rows: this.rowReports(before.rows, after.rows),
      violated,
      mode: trace.mode,
      condition: trace.condition,
      steps: trace.steps,
    });
  }

  /** Takes the task steps, then row-only steps while a hard row is still violated. */
  private async runSteps(
    rows: RowSet,
    before: RowEvaluation,
    task: Float32Array,
    labels: number[],
    passes: PassCounter,
  ): Promise<StepTrace> {
    const trace: StepTrace = { mode: 'adam', condition: 1, steps: 0 };
    let current = before;
    for (let step = 0; step < this.settings.steps; step++) {
      if (step > 0) current = await rows.evaluate(this.anchors);
      const gradient = await this.taskGradient(task, labels, passes);
      await this.innerStep(rows, current, gradient, trace);
    }
    for (let repair = 0; repair < this.settings.repairSteps; repair++) {
      current = await rows.evaluate(this.anchors);
      const tolerance = this.settings.hardTolerance;
      if (!current.rows.some((row) => row.hard && row.value > tolerance)) break;
      await this.innerStep(rows, current, new Float32Array(this.model.dimension), trace);
    }
    return trace;
  }

  private async innerStep(
    rows: RowSet,
    current: RowEvaluation,
    gradient: Float32Array,
    trace: StepTrace,
  ): Promise<void> {
    const refresh = this.updater.rowsToRefresh(current.rows, gradient);
    const jacobians = await rows.jacobians(refresh, current);
    const report = this.updater.step({
      parameters: this.model.parameters,
      gradient,
      rows: current.rows,
      jacobians,
    });
    if (MODE_ORDER.indexOf(report.mode) > MODE_ORDER.indexOf(trace.mode)) trace.mode = report.mode;
    trace.condition = Math.max(trace.condition, report.conditionNumber);
    trace.steps += 1;
  }

  private async taskLoss(
    task: Float32Array,
    labels: number[],
    passes: PassCounter,
  ): Promise<number> {
    if (labels.length === 0) return 0;
    passes.forward += 1;
    const logits = await this.model.forward(task, labels.length);
    return mean(crossEntropy(logits, labels, this.model.classes).values);
  }

  private async taskGradient(
    task: Float32Array,
    labels: number[],
    passes: PassCounter,
  ): Promise<Float32Array> {
    if (labels.length === 0) return new Float32Array(this.model.dimension);
    passes.forward += 2;
    passes.backward += 1;
    const logits = await this.model.forward(task, labels.length);
    const { logitGradient } = crossEntropy(logits, labels, this.model.classes);
    for (let i = 0; i < logitGradient.length; i++) logitGradient[i]! /= labels.length;
    return this.model.gradient(task, labels.length, logitGradient);
  }

  private rowReports(
    before: readonly RowValue[],
    after: readonly RowValue[],
  ): ConstraintRowReport[] {
    const initialRho = this.updater.options.initialRho;
    return before.map((row, index) => {
      const state = this.updater.rowState(row.id);
      return {
        rowId: row.id,
        kind: row.kind,
        hard: row.hard,
        before: row.value,
        after: after[index]!.value,
        lambda: state?.lambda ?? 0,
        rho: state?.rho ?? initialRho,
      };
    });
  }

  private saveState(): SavedState {
    const parameters = new Map<string, Float32Array>();
    for (const name of this.model.parameterNames) {
      parameters.set(name, Float32Array.from(this.model.parameters.get(name)!));
    }
    return { parameters, updater: this.updater.snapshot(), anchors: new Map(this.anchors) };
  }

  private restoreState(saved: SavedState): void {
    for (const [name, values] of saved.parameters) this.model.parameters.get(name)!.set(values);
    this.updater = GaltUpdater.restore(saved.updater);
    this.anchors = new Map(saved.anchors);
  }

  private parameterDelta(saved: SavedState): Float32Array {
    const delta = new Float32Array(this.model.dimension);
    let offset = 0;
    for (const name of this.model.parameterNames) {
      const now = this.model.parameters.get(name)!;
      const then = saved.parameters.get(name)!;
      for (let i = 0; i < now.length; i++) delta[offset + i] = now[i]! - then[i]!;
      offset += now.length;
    }
    return delta;
  }
}

interface SavedState {
  parameters: Map<string, Float32Array>;
  updater: Uint8Array;
  anchors: Map<string, number>;
}

/** Builds the record of a write that changed nothing. */
function refusedRecord(
  context: Parameters<typeof buildWriteRecord>[0],
  reason: string,
  dimension: number,
): ParametricWriteRecord {
  return buildWriteRecord(context, {
    outcome: 'refused',
    reason,
    delta: new Float32Array(dimension),
    taskBefore: 0,
    taskAfter: 0,
    rows: [],
    violated: [],
    mode: 'adam',
    condition: 0,
    steps: 0,
  });
}
