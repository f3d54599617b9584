import {
  type AccessGate,
  decideAccess,
  globalFlushGate,
  type Logger,
  noopLogger,
  sameLayerOnlyGate,
} from '@galt/core';
import { resolveDataDir } from '../curriculum/data-dir.js';
import { loadCurriculum } from '../curriculum/load-curriculum.js';
import { loadContrastPackets } from '../curriculum/load-packets.js';
import { curriculumExamples } from '../model/examples.js';
import { fitTypedChannel, TRAINING_DEFAULTS } from '../model/train-typed-channel.js';
import { type ChannelPrediction, TypedChannelModel } from '../model/typed-channel-model.js';
import {
  type AccessPair,
  buildPairs,
  domainLayerTable,
  fullLayerGrid,
  type GateScore,
  type GridText,
  packetTexts,
  scoreGate,
} from './access-grid.js';
import { type ModelSource, openManifestedModel } from './shipped-model.js';

/** Options of `evaluateAccess`. */
export interface EvaluateAccessOptions extends ModelSource {
  /** Curriculum directory; defaults to the repository's shared curriculum. */
  dataDir?: string;
  /** Retrain the layer heads once per domain with that domain left out (default true). */
  domainFolds?: boolean;
  /** Training steps of each domain fold; the shipped model's count by default. */
  foldSteps?: number;
}

/** The learned heads' reading of the layers, on the texts a score covers. */
export interface HeadScore {
  memoryLayerAccuracy: number | null;
  violationLayerAccuracy: number | null;
}

/** Access accuracy of four gates on the packet grid, plus the symbolic 4 × 5 layer grid. */
export interface AccessEvaluation {
  /** Pairs built from packets that have no row in the train split. */
  pairs: number;
  heldOutPackets: number;
  gates: { ledger: GateScore; independent: GateScore; globalFlush: GateScore; learned: GateScore };
  heads: HeadScore;
  /** Every (memory layer, violation layer) cell, L1 memories included, for the rule-based gates. */
  grid: { cells: number; ledger: GateScore; independent: GateScore; globalFlush: GateScore };
  /** Per domain: heads retrained without that domain's packet rows, scored on its pairs. */
  domainHeldOut: { domain: string; pairs: number; learned: GateScore; heads: HeadScore }[] | null;
}

/**
 * Builds the memory-layer × violation-layer grid from the contrast packets and scores the
 * ledger's access rule, the same-layer-only gate, the global flush and the learned layer heads
 * (whose proposed layers go through the access rule). Whole packets are held out: only packets
 * without a train row form the main grid. With `domainFolds`, whole domains are held out too.
 */
export async function evaluateAccess(
  options: EvaluateAccessOptions = {},
): Promise<AccessEvaluation> {
  const logger = options.logger ?? noopLogger;
  const dataDir = resolveDataDir(options.dataDir);
  const train = loadCurriculum(dataDir, 'train');
  const table = domainLayerTable(train.memory);
  const packets = loadContrastPackets(dataDir).packets;
  const trainPackets = new Set(
    train.memory.flatMap((row) => (row.packet === null ? [] : [row.packet.source_id])),
  );
  const heldOut = packets.filter((packet) => !trainPackets.has(packet.id));
  const heldOutTexts = heldOut.flatMap((packet) => packetTexts(packet, table));
  const pairs = buildPairs(heldOutTexts);

  const { model } = await openManifestedModel(options);
  let learned: GateScore;
  let heads: HeadScore;
  try {
    const predictions = await predictTexts(model, heldOutTexts);
    learned = scoreLearned(pairs, predictions);
    heads = scoreHeads(heldOutTexts, predictions);
  } finally {
    await model.close();
  }
  const symbolic = (gate: AccessGate) =>
    scoreGate(pairs.map(flatten), (index) =>
      gate(pairs[index]!.memory.memoryLayer, pairs[index]!.violation.violationLayer),
    );
  const grid = fullLayerGrid();
  const onGrid = (gate: AccessGate) =>
    scoreGate(grid, (index) => gate(grid[index]!.memoryLayer, grid[index]!.violationLayer));
  const allTexts = packets.flatMap((packet) => packetTexts(packet, table));
  const domainHeldOut =
    options.domainFolds === false ? null : await domainFolds(train, allTexts, options, logger);
  return {
    pairs: pairs.length,
    heldOutPackets: heldOut.length,
    gates: {
      ledger: symbolic(decideAccess),
      independent: symbolic(sameLayerOnlyGate),
      globalFlush: symbolic(globalFlushGate),
      learned,
    },
    heads,
    grid: {
      cells: grid.length,
      ledger: onGrid(decideAccess),
      independent: onGrid(sameLayerOnlyGate),
      globalFlush: onGrid(globalFlushGate),
    },
    domainHeldOut,
  };
}

function flatten(pair: AccessPair) {
  return {
    memoryLayer: pair.memory.memoryLayer,
    violationLayer: pair.violation.violationLayer,
    target: pair.target,
  };
}

async function predictTexts(model: TypedChannelModel, texts: readonly GridText[]) {
  const predictions = await model.predict(texts.map((text) => text.text));
  return new Map(texts.map((text, index) => [text, predictions[index] as ChannelPrediction]));
}

/** Scores the learned gate: the heads propose both layers, and the access rule decides. */
function scoreLearned(
  pairs: readonly AccessPair[],
  predictions: ReadonlyMap<GridText, ChannelPrediction>,
): GateScore {
  return scoreGate(pairs.map(flatten), (index) => {
    const pair = pairs[index]!;
    const memoryLayer = predictions.get(pair.memory)?.memoryLayer ?? 'L0';
    const violationLayer = predictions.get(pair.violation)?.violationLayer ?? 'none';
    return decideAccess(memoryLayer, violationLayer);
  });
}

function scoreHeads(
  texts: readonly GridText[],
  predictions: ReadonlyMap<GridText, ChannelPrediction>,
): HeadScore {
  if (texts.length === 0) return { memoryLayerAccuracy: null, violationLayerAccuracy: null };
  let memory = 0;
  let violation = 0;
  for (const text of texts) {
    if (predictions.get(text)?.memoryLayer === text.memoryLayer) memory += 1;
    if (predictions.get(text)?.violationLayer === text.violationLayer) violation += 1;
  }
  return {
    memoryLayerAccuracy: memory / texts.length,
    violationLayerAccuracy: violation / texts.length,
  };
}

async function domainFolds(
  train: ReturnType<typeof loadCurriculum>,
  texts: readonly GridText[],
  options: EvaluateAccessOptions,
  logger: Logger,
): Promise<AccessEvaluation['domainHeldOut']> {
  const domains = [...new Set(texts.map((text) => text.domain))].sort();
  const folds: NonNullable<AccessEvaluation['domainHeldOut']> = [];
  for (const domain of domains) {
    const examples = curriculumExamples(train).filter((example) => example.domain !== domain);
    const settings = { ...TRAINING_DEFAULTS, steps: options.foldSteps ?? TRAINING_DEFAULTS.steps };
    const { bytes } = await fitTypedChannel(examples, settings, logger);
    const model = await TypedChannelModel.create(bytes, {
      featureDimension: settings.featureDimension,
    });
    try {
      const predictions = await predictTexts(model, texts);
      const pairs = buildPairs(texts).filter(
        (pair) => pair.memory.domain === domain || pair.violation.domain === domain,
      );
      const ownTexts = texts.filter((text) => text.domain === domain);
      folds.push({
        domain,
        pairs: pairs.length,
        learned: scoreLearned(pairs, predictions),
        heads: scoreHeads(ownTexts, predictions),
      });
    } finally {
      await model.close();
    }
    logger.info('domain fold scored', { domain });
  }
  return folds;
}
