import { GaltError, type Logger } from '@galt/core';
import { z } from 'zod';
import type { GaltContinualOptions } from './methods/galt-continual.js';
import { METHOD_NAMES } from './methods/method.js';

/** Options of `runContinualBenchmark`. */
export const ContinualBenchmarkOptionsSchema = z.object({
  suite: z.enum(['split-mnist', 'split-fmnist', 'prototype']).default('split-mnist'),
  methods: z
    .array(z.enum(METHOD_NAMES))
    .min(1)
    .default([...METHOD_NAMES]),
  /** Reservoir buffer size shared by every method with memory. */
  buffer: z.number().int().positive().default(200),
  seeds: z.array(z.number().int()).min(1).default([0, 1, 2]),
  /** Small settings that finish in seconds; they check behaviour, not the published figures. */
  quick: z.boolean().default(false),
  /** Steps per task; 0 means one epoch over the task's training data (Protocol B). */
  stepsPerTask: z.number().int().nonnegative().optional(),
  batchSize: z.number().int().positive().optional(),
  hidden: z.array(z.number().int().positive()).optional(),
  learningRate: z.number().positive().default(1e-3),
  /** Online-EWC strengths tried; the one with the best validation accuracy is reported. */
  ewcLambdas: z.array(z.number().positive()).optional(),
  /**
   * Backend of the forward and backward passes: onnxruntime graphs from @galt/onnx, or the
   * TypeScript reference MLP. The prototype suite always runs on onnx.
   */
  backend: z.enum(['onnx', 'reference']).default('onnx'),
  executionProvider: z.enum(['cpu', 'cuda']).default('cpu'),
  /**
   * Data the runs are measured on. `validation` trains on 90% of each task's training data and
   * measures on the held-out 10%, so method settings can be chosen without the test split.
   */
  evaluation: z.enum(['test', 'validation']).default('test'),
  /** Directory of the Fashion-MNIST IDX files. */
  fashionDirectory: z.string().optional(),
});

export type ContinualBenchmarkOptions = z.input<typeof ContinualBenchmarkOptionsSchema> & {
  /** Settings of the GALT method (rows per step, tolerance, replay weights, updater options). */
  galt?: GaltContinualOptions;
  logger?: Logger;
  /** Millisecond clock for wall time; defaults to `performance.now`. */
  now?: () => number;
};

/** Protocol A: 200 steps of batch 128 per task on a 784-100-100-10 MLP. */
const FULL = { stepsPerTask: 200, batchSize: 128, hidden: [100, 100], ewcLambdas: [1e2, 1e4, 1e6] };
/** Quick mode: enough steps to separate the methods, small enough for a test on 2 cores. */
const QUICK = { stepsPerTask: 30, batchSize: 32, hidden: [48], ewcLambdas: [1e3] };
/** Test examples per task in quick mode. */
export const QUICK_TEST_PER_TASK = 200;

type ParsedOptions = z.output<typeof ContinualBenchmarkOptionsSchema>;

/** Resolved benchmark settings. */
export interface ResolvedContinualOptions {
  suite: ParsedOptions['suite'];
  methods: ParsedOptions['methods'];
  buffer: number;
  seeds: number[];
  quick: boolean;
  stepsPerTask: number;
  batchSize: number;
  hidden: number[];
  learningRate: number;
  ewcLambdas: number[];
  backend: ParsedOptions['backend'];
  executionProvider: ParsedOptions['executionProvider'];
  evaluation: ParsedOptions['evaluation'];
  galt: GaltContinualOptions;
  fashionDirectory?: string;
}

/** Validates the options and fills the protocol's settings, throwing `invalid_config` on bad input. */
export function resolveContinualOptions(
  options: ContinualBenchmarkOptions,
): ResolvedContinualOptions {
  const { logger: _logger, now: _now, galt: _galt, ...rest } = options;
  const parsed = ContinualBenchmarkOptionsSchema.safeParse(rest);
  if (!parsed.success) {
    throw new GaltError('invalid_config', 'invalid continual benchmark options', {
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.filter((key) => typeof key !== 'symbol') as (string | number)[],
        code: issue.code,
        message: issue.message,
      })),
      remedy: 'fix the options listed in issues',
    });
  }
  const value = parsed.data;
  const base = value.quick ? QUICK : FULL;
  const resolved: ResolvedContinualOptions = {
    suite: value.suite,
    methods: value.methods,
    buffer: value.buffer,
    seeds: value.seeds,
    quick: value.quick,
    learningRate: value.learningRate,
    backend: value.backend,
    executionProvider: value.executionProvider,
    evaluation: value.evaluation,
    galt: options.galt ?? {},
    stepsPerTask:
      value.stepsPerTask ?? (value.suite !== 'split-mnist' && !value.quick ? 0 : base.stepsPerTask),
    batchSize: value.batchSize ?? base.batchSize,
    hidden: value.hidden ?? base.hidden,
    ewcLambdas: value.ewcLambdas ?? base.ewcLambdas,
  };
  if (value.fashionDirectory !== undefined) resolved.fashionDirectory = value.fashionDirectory;
  return resolved;
}
