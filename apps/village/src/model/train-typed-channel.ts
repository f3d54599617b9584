import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Logger, noopLogger } from '@galt/core';
import { encodeModel, type TensorValue } from '@galt/onnx';
import type { ModelManifest } from '@galt/protocol';
import { findRepositoryRoot, resolveDataDir } from '../curriculum/data-dir.js';
import { formatLoadIssue } from '../curriculum/jsonl.js';
import { type Curriculum, loadCurriculum } from '../curriculum/load-curriculum.js';
import { fitWithAdam } from './adam-fit.js';
import { curriculumExamples, type LabelledExample } from './examples.js';
import { DEFAULT_FEATURE_DIMENSION, featurizeTexts } from './features.js';
import { formatJson } from './format-text.js';
import { type HeadAccuracy, headAccuracies } from './head-metrics.js';
import type { ClassHead } from './heads.js';
import { renderModelCard } from './model-card.js';
import { buildManifest, MODEL_NAME } from './model-manifest.js';
import { buildTypedChannelGraph, buildTypedChannelTrainingGraph } from './typed-channel-graph.js';
import { TypedChannelModel } from './typed-channel-model.js';

/** Options of `trainTypedChannelModel`; every field has a default. */
export interface TrainTypedChannelOptions {
  /** Curriculum directory; defaults to the repository's shared curriculum. */
  dataDir?: string;
  /** Output directory of the model files; defaults to `models/` at the repository root. */
  outDir?: string;
  /** Write the files (default true); false only trains and measures. */
  write?: boolean;
  seed?: number;
  featureDimension?: number;
  hiddenSize?: number;
  steps?: number;
  batchSize?: number;
  learningRate?: number;
  logger?: Logger;
}

/** Output of a training run. */
export interface TrainTypedChannelResult {
  bytes: Uint8Array;
  manifest: ModelManifest;
  parameters: Record<string, TensorValue>;
  validation: Record<ClassHead, HeadAccuracy>;
  gateMeanAbsoluteError: number | null;
  losses: number[];
  /** Paths written, or null when `write` was false. */
  files: { model: string; manifest: string; card: string } | null;
}

/** Defaults chosen on the train split's loss; validation figures were never used to pick them. */
export const TRAINING_DEFAULTS = {
  seed: 7,
  featureDimension: DEFAULT_FEATURE_DIMENSION,
  /** 64 tanh units: the heads separate the train split with room to spare at this width. */
  hiddenSize: 64,
  /** About 80 epochs of the 492 labelled train rows at batch 64. */
  steps: 600,
  batchSize: 64,
  learningRate: 0.005,
} as const;

/**
 * Trains the typed-channel model on the curriculum's train split, measures it on the validation
 * split and writes `typed-channel.onnx`, its manifest and its model card.
 */
export async function trainTypedChannelModel(
  options: TrainTypedChannelOptions = {},
): Promise<TrainTypedChannelResult> {
  const settings = { ...TRAINING_DEFAULTS, ...definedOnly(options) };
  const logger = options.logger ?? noopLogger;
  const dataDir = resolveDataDir(options.dataDir);
  const train = loadWithReport(dataDir, 'train', logger);
  const validation = loadWithReport(dataDir, 'validation', logger);
  const examples = curriculumExamples(train);

  logger.info('training typed-channel model', { dataDir, rows: examples.length, ...settings });
  const fitted = await fitTypedChannel(examples, settings, logger);
  const { graph, bytes } = fitted;
  const validationExamples = curriculumExamples(validation);
  const measured = await measure(bytes, settings.featureDimension, validationExamples);
  const finalLoss = fitted.losses.at(-1) ?? Number.NaN;
  const metadata = {
    seed: settings.seed,
    featureDimension: settings.featureDimension,
    hiddenSize: settings.hiddenSize,
    steps: settings.steps,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    finalLoss,
    validationDigest: validation.digest,
    validation: measured.accuracies,
    gateMeanAbsoluteError: measured.gateError,
    domainNamesMasked: true,
  };
  const manifest = buildManifest(graph, bytes, train.digest, metadata);
  const result: TrainTypedChannelResult = {
    bytes,
    manifest,
    parameters: fitted.parameters,
    validation: measured.accuracies,
    gateMeanAbsoluteError: measured.gateError,
    losses: fitted.losses,
    files: null,
  };
  if (options.write !== false) {
    const outDir = options.outDir ?? defaultModelDir();
    const card = renderModelCard({
      fileName: manifest.file,
      bytes: bytes.length,
      parameterCount: countParameters(fitted.parameters),
      sha256: manifest.sha256,
      dataDigest: train.digest,
      ...settings,
      trainRows: rowCounts(train),
      validationRows: rowCounts(validation),
      validation: measured.accuracies,
      gateMeanAbsoluteError: measured.gateError,
      finalLoss,
    });
    result.files = writeModelFiles(outDir, bytes, manifest, card);
    logger.info('typed-channel model written', { ...result.files, bytes: bytes.length });
  }
  return result;
}

/** Settings of `fitTypedChannel`. */
export type FitSettings = typeof TRAINING_DEFAULTS extends infer T
  ? { [K in keyof T]: number }
  : never;

/** Trains the model on labelled examples and returns the inference graph and its ONNX bytes. */
export async function fitTypedChannel(
  examples: readonly LabelledExample[],
  settings: FitSettings,
  logger: Logger = noopLogger,
) {
  const shape = { featureDimension: settings.featureDimension, hiddenSize: settings.hiddenSize };
  const features = featurizeTexts(
    examples.map((example) => example.text),
    shape.featureDimension,
  );
  const fitted = await fitWithAdam(buildTypedChannelTrainingGraph(shape), examples, features, {
    seed: settings.seed,
    steps: settings.steps,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    logger,
  });
  const graph = buildTypedChannelGraph(shape);
  const bytes = encodeModel(graph, { initializers: fitted.parameters });
  return { graph, bytes, parameters: fitted.parameters, losses: fitted.losses };
}

/** Returns `<repository root>/models`, or `./models` when no repository root is found. */
export function defaultModelDir(): string {
  const root =
    findRepositoryRoot(process.cwd()) ??
    findRepositoryRoot(dirname(fileURLToPath(import.meta.url)));
  return root === null ? resolve('models') : join(root, 'models');
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

function loadWithReport(dataDir: string, split: string, logger: Logger): Curriculum {
  const curriculum = loadCurriculum(dataDir, split);
  for (const issue of curriculum.issues) {
    logger.warn('curriculum row skipped', { split, issue: formatLoadIssue(issue) });
  }
  return curriculum;
}

async function measure(bytes: Uint8Array, featureDimension: number, examples: LabelledExample[]) {
  const model = await TypedChannelModel.create(bytes, { featureDimension });
  try {
    const predictions = await model.predict(examples.map((example) => example.text));
    let gateError = 0;
    let gated = 0;
    examples.forEach((example, row) => {
      const predicted = predictions[row]?.gate;
      if (example.gate === null || predicted === undefined) return;
      example.gate.forEach((target, index) => {
        gateError += Math.abs((predicted[index] ?? 0) - target);
      });
      gated += example.gate.length;
    });
    return {
      accuracies: headAccuracies(examples, predictions),
      gateError: gated === 0 ? null : gateError / gated,
    };
  } finally {
    await model.close();
  }
}

function rowCounts(curriculum: Curriculum) {
  return {
    routing: curriculum.routing.length,
    memory: curriculum.memory.length,
    packet: curriculum.memory.filter((row) => row.packet !== null).length,
  };
}

function countParameters(parameters: Record<string, TensorValue>): number {
  return Object.values(parameters).reduce((total, value) => total + value.data.length, 0);
}

function writeModelFiles(outDir: string, bytes: Uint8Array, manifest: ModelManifest, card: string) {
  mkdirSync(outDir, { recursive: true });
  const files = {
    model: join(outDir, manifest.file),
    manifest: join(outDir, `${MODEL_NAME}.manifest.json`),
    card: join(outDir, `${MODEL_NAME}.md`),
  };
  writeFileSync(files.model, bytes);
  writeFileSync(files.manifest, `${formatJson(manifest)}\n`);
  writeFileSync(files.card, card);
  return files;
}
