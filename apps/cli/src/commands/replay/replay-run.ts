import { resolve } from 'node:path';
import type { Logger } from '@galt/core';
import type { LedgerRecord, RunInfo, StreamEvent } from '@galt/protocol';
import { type GaltStore, openStore } from '@galt/store';
import { CliError, ExitCode } from '../../exit-codes.js';
import type { CliIo } from '../../io.js';
import { ProgressDisplay } from '../../progress.js';
import { CURRICULUM_DIRECTORY, resolveExistingDirectory } from '../existing-file.js';
import { note } from '../output.js';
import { compareEventStreams, type EventMismatch } from './compare-events.js';
import { readRunEvents } from './read-run-events.js';

/** Result of `galt replay`. */
export interface ReplayReport {
  ok: boolean;
  runId: string;
  /** Events the recorded run contains. */
  events: number;
  replayedEvents: number;
  ticks: number;
  /** False when the recorded run never finished (the process was killed or crashed). */
  ended: boolean;
  /** Positions whose event digest differs, or that one stream lacks. */
  mismatches: number;
  firstMismatches: EventMismatch[];
}

/** Options of `galt replay` that shape the re-run. */
export interface ReplayValues {
  data: string | undefined;
  model: string | undefined;
  ep: 'cpu' | 'cuda';
  json: boolean;
}

/** Recorded data of the run to replay, read from the database. */
export interface RecordedRun {
  run: RunInfo;
  recorded: readonly StreamEvent[];
  /** Ledger records before the run started, which rebuild the memories it began with. */
  priorLedger: readonly LedgerRecord[];
}

/**
 * Re-runs a recorded run on a scratch in-memory store, starting from the memories that earlier
 * runs left in the ledger, and compares every event digest with the recording.
 */
export async function replayEvents(
  { run, recorded, priorLedger }: RecordedRun,
  values: ReplayValues,
  io: CliIo,
  logger: Logger,
): Promise<ReplayReport> {
  const ticks = recorded.filter((event) => event.kind === 'tick_completed').length;
  const { openVillage } = await import('@galt/village');
  const { eventDigest } = await import('@galt/runtime');
  const scratch = openStore(':memory:');
  try {
    restorePriorMemory(scratch, priorLedger);
    const session = await openVillage({
      store: scratch,
      seed: run.seed,
      ticks,
      runId: run.runId,
      executionProvider: values.ep,
      logger,
      ...villageSettings(run, values, io),
    });
    const modelDigest = session.summary().modelDigest;
    if (modelDigest !== run.modelDigest) {
      await session.finish();
      throw modelMismatch(run, modelDigest, values.model);
    }
    const progress = new ProgressDisplay({
      output: io.stderr,
      now: () => io.now(),
      label: 'replay tick',
      total: ticks,
      enabled: !values.json || io.stderr.isTTY,
    });
    for (let done = 1; done <= ticks; done += 1) {
      await session.step();
      progress.update(done);
    }
    progress.finish();
    await session.finish();

    const replayed = readRunEvents(scratch, run.runId);
    const comparison = compareEventStreams(recorded, replayed, eventDigest);
    if (comparison.count > 0)
      note(io, `replay of ${run.runId} differs at ${comparison.count} events`);
    return {
      ok: comparison.count === 0,
      runId: run.runId,
      events: recorded.length,
      replayedEvents: replayed.length,
      ticks,
      ended: run.endedAt !== null,
      mismatches: comparison.count,
      firstMismatches: comparison.listed,
    };
  } finally {
    scratch.close();
  }
}

/**
 * Appends the earlier ledger records to the scratch store and rebuilds its memories from them, so
 * the replay starts with the memories that earlier runs in the file left behind.
 */
function restorePriorMemory(scratch: GaltStore, priorLedger: readonly LedgerRecord[]): void {
  if (priorLedger.length === 0) return;
  scratch.ledger.appendMany(
    priorLedger.map((record) => ({
      kind: record.kind,
      tick: record.tick,
      payload: record.payload,
    })),
  );
  scratch.memory.rebuild();
}

/** Village settings recorded with the run, with the CLI's paths resolved. */
function villageSettings(run: RunInfo, values: ReplayValues, io: CliIo) {
  const settings: { split?: string; players?: number; dataDir?: string; manifestPath?: string } =
    {};
  const { split, players } = run.config;
  if (typeof split === 'string') settings.split = split;
  if (typeof players === 'number') settings.players = players;
  if (values.data !== undefined) {
    settings.dataDir = resolveExistingDirectory(values.data, '--data', CURRICULUM_DIRECTORY, io);
  }
  if (values.model !== undefined) settings.manifestPath = resolve(io.cwd, values.model);
  return settings;
}

function modelMismatch(run: RunInfo, digest: string, modelOption: string | undefined): CliError {
  const modelSource = modelOption === undefined ? 'the shipped model' : modelOption;
  return new CliError(
    `run ${run.runId} was recorded with model digest ${run.modelDigest}, but ${modelSource} has ` +
      `digest ${digest}; pass --model with the manifest of the recorded model`,
    ExitCode.usage,
  );
}
