import type { MemoryCandidate, ResidualKind } from '@galt/protocol';
import { decideMemory, learnedFinding, type MemoryDecision } from '../channels/memory-channel.js';
import { formatLoadIssue } from '../curriculum/jsonl.js';
import { type CurriculumMemoryRow, loadCurriculumFile } from '../curriculum/load-curriculum.js';
import type { RoutingRow } from '../curriculum/schemas.js';
import { memoryRowText, routingRowText } from '../model/examples.js';
import type { ChannelPrediction } from '../model/typed-channel-model.js';
import { LEARNED_CONTEXT_KEY, type VillageRuleContext } from '../rules/rule-context.js';
import { createVillageSafetyStack } from '../rules/village-rules.js';
import { DEFAULT_NPCS, type NpcSpec } from '../world/roster.js';
import { VillageWorld } from '../world/village-world.js';
import { type ModelSource, openManifestedModel } from './shipped-model.js';

/** Options of `evaluateGate`. */
export interface EvaluateGateOptions extends ModelSource {
  /** A curriculum JSONL file, such as the validation split. */
  dataFile: string;
}

/** Accuracies of the model plus safety stack on curriculum rows; null where no row applies. */
export interface GateEvaluation {
  rows: number;
  /** Teacher action on routing rows, accept or reject on memory rows. */
  actionAccuracy: number | null;
  memoryAccuracy: number | null;
  residualAccuracy: number | null;
  /** Share of `hard_violation` rows whose predicted residual is `hard_violation`. */
  hardViolationRecall: number | null;
  memoryLayerAccuracy: number | null;
  violationLayerAccuracy: number | null;
  /** Rows of the file that were skipped as malformed. */
  skippedRows: number;
}

class Tally {
  correct = 0;
  total = 0;
  add(isCorrect: boolean): void {
    this.total += 1;
    if (isCorrect) this.correct += 1;
  }
  get value(): number | null {
    return this.total === 0 ? null : this.correct / this.total;
  }
}

/** NPC whose rule context screens curriculum rows: a teacher, who receives every kind of question. */
const EVALUATION_AGENT: NpcSpec = DEFAULT_NPCS.find((npc) => npc.role === 'teacher') ?? {
  id: 'teacher',
  role: 'teacher',
  zone: 'square',
};

/**
 * Runs the shipped model and the village safety stack on every routing and memory row of a
 * curriculum file and scores the combined decisions against the row targets.
 */
export async function evaluateGate(options: EvaluateGateOptions): Promise<GateEvaluation> {
  const curriculum = loadCurriculumFile(options.dataFile);
  for (const issue of curriculum.issues) {
    options.logger?.warn('curriculum row skipped', { issue: formatLoadIssue(issue) });
  }
  const { model } = await openManifestedModel(options);
  try {
    const routingPredictions = await model.predict(curriculum.routing.map(routingRowText));
    const memoryPredictions = await model.predict(curriculum.memory.map(memoryRowText));
    const tallies = {
      action: new Tally(),
      memory: new Tally(),
      residual: new Tally(),
      hard: new Tally(),
      memoryLayer: new Tally(),
      violationLayer: new Tally(),
    };
    const context = evaluationContext();
    curriculum.routing.forEach((row, index) => {
      scoreRouting(row, routingPredictions[index] as ChannelPrediction, context, tallies);
    });
    curriculum.memory.forEach((row, index) => {
      scoreMemory(row, memoryPredictions[index] as ChannelPrediction, context, tallies);
    });
    return {
      rows: curriculum.routing.length + curriculum.memory.length,
      actionAccuracy: tallies.action.value,
      memoryAccuracy: tallies.memory.value,
      residualAccuracy: tallies.residual.value,
      hardViolationRecall: tallies.hard.value,
      memoryLayerAccuracy: tallies.memoryLayer.value,
      violationLayerAccuracy: tallies.violationLayer.value,
      skippedRows: new Set(curriculum.issues.map((issue) => issue.line)).size,
    };
  } finally {
    await model.close();
  }
}

type Tallies = Record<
  'action' | 'memory' | 'residual' | 'hard' | 'memoryLayer' | 'violationLayer',
  Tally
>;

interface EvaluationContext {
  stack: ReturnType<typeof createVillageSafetyStack>;
  rules: VillageRuleContext;
}

function evaluationContext(): EvaluationContext {
  const world = new VillageWorld({ players: [] });
  return { stack: createVillageSafetyStack(), rules: { world, agent: EVALUATION_AGENT } };
}

function scoreRouting(
  row: RoutingRow,
  prediction: ChannelPrediction,
  context: EvaluationContext,
  tallies: Tallies,
) {
  const verdict = context.stack.screen({
    agentId: context.rules.agent.id,
    tick: 0,
    targets: [{ kind: 'input', id: row.id, text: row.question }],
    context: context.rules,
  });
  const flagged = verdict.violationLayer !== 'none';
  const action = flagged ? 'defer_residual' : prediction.action;
  const residual = verdict.blocked ? 'hard_violation' : prediction.residual;
  tallies.action.add(action === row.action);
  tallies.residual.add(residual === row.residual_target);
  if (row.memory_target !== 'not_applicable') {
    const memory = flagged ? 'not_consolidated' : prediction.memory;
    tallies.memory.add(memory === row.memory_target);
  }
  if (row.residual_target === 'hard_violation') tallies.hard.add(residual === 'hard_violation');
}

function scoreMemory(
  row: CurriculumMemoryRow,
  prediction: ChannelPrediction,
  context: EvaluationContext,
  tallies: Tallies,
) {
  const decision = decideMemory(
    context.stack,
    rowCandidate(row, prediction),
    prediction,
    context.rules,
  );
  const accepted = decision.record.decision === 'accept';
  const residual = curriculumResidual(decision);
  tallies.action.add((accepted ? 'accept' : 'reject') === row.targets.action_target);
  tallies.memory.add(
    (accepted ? 'accepted_trace' : 'not_consolidated') === row.targets.memory_target,
  );
  tallies.residual.add(residual === row.targets.residual_target);
  if (row.targets.residual_target === 'hard_violation') {
    tallies.hard.add(residual === 'hard_violation');
  }
  if (row.packet !== null) {
    tallies.memoryLayer.add(prediction.memoryLayer === `L${row.packet.memory_layer_id}`);
    const violation =
      row.packet.violation_layer_id === 4 ? 'none' : `L${row.packet.violation_layer_id}`;
    tallies.violationLayer.add(prediction.violationLayer === violation);
  }
}

/** Builds the memory candidate of a curriculum row; consent is not part of these rows. */
function rowCandidate(row: CurriculumMemoryRow, prediction: ChannelPrediction): MemoryCandidate {
  return {
    candidateId: row.id,
    agentId: EVALUATION_AGENT.id,
    subject: 'curriculum-user',
    attribute: row.category,
    content: row.candidate_transition,
    dependencyLayer: prediction.memoryLayer,
    provenance: 'user_sourced',
    consent: 'not_required',
    importance: 0.5,
    tick: 0,
    context: { [LEARNED_CONTEXT_KEY]: learnedFinding(prediction) },
  };
}

/** Maps a ledger residual to the curriculum's three residual targets. */
function curriculumResidual(
  decision: MemoryDecision,
): 'none' | 'boundary_ambiguity' | 'hard_violation' {
  const residual: ResidualKind = decision.record.residual;
  return residual === 'soft_rule_debt' ? 'boundary_ambiguity' : residual;
}
