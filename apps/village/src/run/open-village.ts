import { GaltError, noopLogger, RandomStateSchema, SeededRandom } from '@galt/core';
import { formatIssues } from '@galt/protocol';
import { createRuntime, type Runtime, type RuntimeWorldFeed, type TickReport } from '@galt/runtime';
import { z } from 'zod';
import { VillageMemoryWriter } from '../channels/parametric-writer.js';
import { resolveDataDir } from '../curriculum/data-dir.js';
import { formatLoadIssue } from '../curriculum/jsonl.js';
import { type Curriculum, loadCurriculum } from '../curriculum/load-curriculum.js';
import { loadProbes } from '../curriculum/load-probes.js';
import { openManifestedModel } from '../evaluation/shipped-model.js';
import { VillageDecisionModel } from '../model/village-decision-model.js';
import { createRolePolicies, type PolicyStats } from '../npc/role-policies.js';
import { ScriptedPlayers } from '../players/scripted-players.js';
import { readNaughtyWordsEnglish } from '../rules/language-boundary.js';
import { createVillageSafetyStack } from '../rules/village-rules.js';
import { createVillageTools } from '../tools/village-tools.js';
import { VillageWorld } from '../world/village-world.js';
import { declareNpc } from './npc-declarations.js';
import { RunTally } from './run-tally.js';
import { villageSafetyChannel } from './safety-channel.js';
import { coreRetentionTexts, playerScriptData, safetyProbeTexts } from './village-data.js';
import {
  DEFAULT_PLAYERS,
  DEFAULT_VILLAGE_SPLIT,
  STARTING_COINS,
  VillageNumbersSchema,
  type VillageOptions,
} from './village-options.js';
import { countAccessRecords, memorySummary, type VillageSummary } from './village-summary.js';

/** Serialisable state of a `VillageSession`; each part is checked by its owner on restore. */
export const VillageSessionStateSchema = z.object({
  runId: z.string().min(1),
  decisions: z.number().int().nonnegative(),
  /** Ledger head when the run started; quarantine counts start after it. */
  ledgerStart: z.number().int().nonnegative(),
  world: z.unknown(),
  players: RandomStateSchema,
  runtime: z.unknown(),
  writer: z.unknown(),
  tally: z.unknown(),
  policy: z.object({
    silent: z.number().int().nonnegative(),
    influenced: z.number().int().nonnegative(),
  }),
});
export type VillageSessionState = z.infer<typeof VillageSessionStateSchema>;

/** A started village: tick it with `step()`, serve `feed`, and end it with `finish()`. */
export interface VillageSession {
  readonly runId: string;
  readonly agents: number;
  readonly runtime: Runtime;
  /** Event source for the WebSocket server. */
  readonly feed: RuntimeWorldFeed;
  readonly world: VillageWorld;
  /** Facts about the setup worth telling a user: execution provider fallback, skipped rows. */
  readonly notes: readonly string[];
  /** Runs one tick: players act, then every addressed NPC decides. */
  step(): Promise<TickReport>;
  /** Returns the counts so far without ending the run. */
  summary(): VillageSummary;
  /**
   * Captures the state this session keeps outside the store: world, players, runtime, memory
   * writer and counters. Memories and events live in the store, which the caller copies.
   */
  snapshot(): VillageSessionState;
  /** Restores a snapshot taken from a session opened with the same options and model. */
  restore(state: unknown): void;
  /** Ends the run in the store, closes the model and returns the summary; the store stays open. */
  finish(): Promise<VillageSummary>;
}

/** Builds the village on the curriculum data and the shipped model, ready to tick. */
export async function openVillage(options: VillageOptions): Promise<VillageSession> {
  const numbers = VillageNumbersSchema.safeParse(options);
  if (!numbers.success) {
    throw new GaltError('invalid_config', `village options are invalid: ${numbers.error.message}`);
  }
  const logger = options.logger ?? noopLogger;
  const dataDir = resolveDataDir(options.dataDir);
  const split = options.split ?? DEFAULT_VILLAGE_SPLIT;
  const notes: string[] = [];
  const curriculum = loadWithNotes(dataDir, split, notes);
  // The default split is the training split itself: read it once, so each skipped row is noted once.
  const train = split === 'train' ? curriculum : loadWithNotes(dataDir, 'train', notes);
  const probes = loadProbes(dataDir);
  for (const issue of probes.issues) notes.push(`probe skipped: ${formatLoadIssue(issue)}`);

  const source = { logger, ...definedSource(options) };
  const { model, bytes } = await openManifestedModel(source);
  if (model.session.fallbackReason !== null) {
    notes.push(`CUDA unavailable, running on CPU: ${model.session.fallbackReason}`);
  }
  const decisionModel = await VillageDecisionModel.create(model, bytes).catch(async (error) => {
    await model.close();
    throw error;
  });
  const random = new SeededRandom(options.seed);
  const writer = await VillageMemoryWriter.create({
    model,
    head: decisionModel.memoryHead,
    safetyProbes: safetyProbeTexts(probes, train),
    coreRetention: coreRetentionTexts(train, random.split('core-retention')),
    logger,
  });

  const playerCount = options.players ?? DEFAULT_PLAYERS;
  const world = new VillageWorld({
    players: Array.from({ length: playerCount }, (_, index) => ({
      id: `player-${index + 1}`,
      zone: 'square',
      questStage: 0,
      coins: STARTING_COINS,
    })),
  });
  const runId = options.runId ?? `village-s${options.seed}-l${options.store.ledger.head().seq + 1}`;
  let ledgerStart = options.store.ledger.head().seq;
  const runtime = createRuntime({
    runId,
    seed: options.seed,
    model: decisionModel,
    safety: villageSafetyChannel(createVillageSafetyStack({ logger }), world),
    store: options.store,
    logger,
    memoryWriter: writer,
    config: { app: 'village', split, players: playerCount, dataDigest: curriculum.digest },
  });
  const policyStats: PolicyStats = { silent: 0, influenced: 0 };
  registerVillage(runtime, world, curriculum, policyStats);

  const players = new ScriptedPlayers(
    world,
    playerScriptData(curriculum, readNaughtyWordsEnglish()),
    random.split('players'),
  );
  const tally = new RunTally(runtime.events$);
  // Memories admitted by earlier runs in the same database were admitted too, so recalling them
  // is not a recall without admission.
  const headSeq = options.store.ledger.head().seq;
  for (const record of headSeq === 0 ? [] : options.store.memory.asOf(headSeq)) {
    tally.admittedMemoryIds.add(record.memoryId);
  }
  const feed = runtime.worldFeed();
  let decisions = 0;
  let finished: VillageSummary | null = null;

  const summary = (): VillageSummary => {
    const head = options.store.ledger.head();
    return {
      runId,
      seed: options.seed,
      split,
      ticks: runtime.currentTick,
      agents: world.npcs.length,
      players: playerCount,
      decisions,
      executionProvider: model.session.executionProvider,
      modelDigest: decisionModel.digest,
      memory: memorySummary(
        tally.counts,
        policyStats,
        countAccessRecords(options.store.ledger, ledgerStart),
      ),
      parametric: { ...writer.stats },
      safety: {
        turnsRejected: tally.counts.turnsRejected,
        violations: { ...tally.counts.violations },
      },
      tools: { calls: tally.counts.toolCalls, failures: tally.counts.toolFailures },
      ledger: { records: head.seq, headHash: head.seq === 0 ? null : head.hash, verified: false },
    };
  };

  return {
    runId,
    agents: world.npcs.length,
    runtime,
    feed,
    world,
    notes,
    async step() {
      if (finished !== null) throw new GaltError('invalid_input', `run ${runId} has finished`);
      const tick = runtime.currentTick + 1;
      world.advance();
      for (const event of players.eventsFor(tick)) runtime.inject(event);
      const report = await runtime.tick();
      decisions += report.decisions;
      return report;
    },
    summary,
    snapshot() {
      return {
        runId,
        decisions,
        ledgerStart,
        world: world.snapshot(),
        players: players.snapshot(),
        runtime: runtime.snapshot(),
        writer: writer.snapshot(),
        tally: tally.snapshot(),
        policy: { ...policyStats },
      };
    },
    restore(state) {
      const parsed = VillageSessionStateSchema.safeParse(state);
      if (!parsed.success || parsed.data.runId !== runId) {
        throw new GaltError('invalid_input', `snapshot is not a valid state of run ${runId}`, {
          remedy: 'Pass a value returned by snapshot() of a session of the same run',
        });
      }
      world.load(parsed.data.world);
      players.restore(parsed.data.players);
      runtime.restore(parsed.data.runtime);
      writer.restore(parsed.data.writer);
      tally.restore(parsed.data.tally);
      Object.assign(policyStats, parsed.data.policy);
      decisions = parsed.data.decisions;
      ledgerStart = parsed.data.ledgerStart;
    },
    async finish() {
      if (finished !== null) return finished;
      options.store.endRun(runId, runtime.currentTick);
      const result = summary();
      result.ledger.verified = options.store.ledger.verify().ok;
      tally.stop();
      runtime.close();
      await decisionModel.close();
      finished = result;
      logger.info('village run finished', { runId, ticks: result.ticks, decisions });
      return result;
    },
  };
}

function loadWithNotes(dataDir: string, split: string, notes: string[]): Curriculum {
  const curriculum = loadCurriculum(dataDir, split);
  for (const issue of curriculum.issues) notes.push(`row skipped: ${formatLoadIssue(issue)}`);
  return curriculum;
}

function definedSource(options: VillageOptions) {
  const source: { manifestPath?: string; executionProvider?: 'cpu' | 'cuda' } = {};
  if (options.manifestPath !== undefined) source.manifestPath = options.manifestPath;
  if (options.executionProvider !== undefined) source.executionProvider = options.executionProvider;
  return source;
}

function registerVillage(
  runtime: Runtime,
  world: VillageWorld,
  curriculum: Curriculum,
  stats: PolicyStats,
): void {
  for (const tool of createVillageTools(world)) runtime.registerTool(tool);
  const policies = createRolePolicies({
    world,
    memoryRows: new Map(curriculum.memory.map((row) => [row.id, row])),
    routingRows: new Map(curriculum.routing.map((row) => [row.id, row])),
    stats,
  });
  for (const [role, policy] of Object.entries(policies)) runtime.registerPolicy(role, policy);
  for (const npc of world.npcs) {
    const added = runtime.addAgent(declareNpc(npc));
    if (!added.ok) {
      throw new GaltError(
        'invalid_config',
        `NPC ${npc.id} was not admitted: ${formatIssues(added.issues)}`,
      );
    }
  }
}
