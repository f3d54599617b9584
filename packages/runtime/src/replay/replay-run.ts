import { errorMessage, GaltError } from '@galt/core';
import type { RunInfo, StreamEvent } from '@galt/protocol';
import { z } from 'zod';
import type { DecisionModel } from '../model/decision-model.js';
import { decodeOutputs } from '../model/recorded-outputs.js';
import { type RecordedCall, ReplayingDecisionModel } from '../model/replaying-decision-model.js';
import type { Runtime } from '../runtime.js';
import type { RuntimeStore } from '../runtime-types.js';
import type { RuntimeWorldFeed } from '../world-feed.js';
import { eventDigest } from './event-digest.js';

/** Events read from the store per query while loading a run. */
const READ_PAGE_SIZE = 10_000;

/** Options of `replayRun`. */
export interface ReplayOptions {
  /**
   * Builds the runtime to replay into, with the same agents, policies, tools and safety rules as
   * the original. It must pass `model` and `runId` to `createRuntime` and give it a fresh store
   * (or none), because memory written during the replay must start from empty.
   */
  build(context: {
    runId: string;
    seed: number;
    model: DecisionModel;
    config: Record<string, unknown>;
  }): Runtime | Promise<Runtime>;
  /**
   * Resume point: the replay stops after the first tick that completes at or after this event.
   * Approval decisions, pauses and resumes recorded from this event on are not applied, so an
   * approval pause waits for a new decision instead of reusing the old one.
   */
  fromSeq?: number;
}

/** One event where the replay differs from the original, by position in the run. */
export interface ReplayMismatch {
  index: number;
  originalSeq: number | null;
  expectedDigest: string | null;
  actualDigest: string | null;
  kind: string | null;
  reason: string;
}

export interface ReplayResult {
  ok: boolean;
  /** Events the replay produced, in order. */
  events: StreamEvent[];
  mismatches: ReplayMismatch[];
  /** The replayed runtime, positioned after the last replayed tick, ready to continue. */
  runtime: Runtime;
}

const RunModelConfigSchema = z.object({
  featureDimension: z.number().int().positive(),
  heads: z.record(z.string(), z.number().int().positive()),
});

/**
 * Re-runs a recorded run from its world events, control events and recorded model outputs, and
 * compares the replayed events' digests with the originals, position by position.
 */
export async function replayRun(
  store: RuntimeStore,
  runId: string,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const run = requireRun(store, runId);
  const original = readRunEvents(store, runId);
  const fromSeq = checkFromSeq(original, options.fromSeq);
  const model = new ReplayingDecisionModel(modelTemplate(run), recordedCalls(original));
  const runtime = await options.build({
    runId: `${runId}:replay`,
    seed: run.seed,
    model,
    config: run.config,
  });
  // Opened before the first tick, so a runtime without a store keeps its events for the feed.
  // NOTE: without a store, events the builder caused before this line are not kept or compared.
  const feed = runtime.worldFeed();
  const mismatches: ReplayMismatch[] = [];
  let compared = original.length;
  try {
    compared = await drive(runtime, original, fromSeq);
  } catch (error) {
    const reason = `replay stopped: ${errorMessage(error)}`;
    mismatches.push({
      index: -1,
      originalSeq: null,
      expectedDigest: null,
      actualDigest: null,
      kind: null,
      reason,
    });
  }
  const replayed = readFeedEvents(feed);
  mismatches.unshift(...compareDigests(original.slice(0, compared), replayed));
  return { ok: mismatches.length === 0, events: replayed, mismatches, runtime };
}

/**
 * Feeds the recorded inputs to the runtime and returns how many original events the replay
 * covers. Control inputs (pause, resume, approval decisions) at or after `fromSeq` are not applied,
 * and the replay stops after the first tick that completes at or after `fromSeq`.
 */
async function drive(
  runtime: Runtime,
  original: readonly StreamEvent[],
  fromSeq: number,
): Promise<number> {
  for (const [index, event] of original.entries()) {
    const afterResumePoint = event.seq >= fromSeq;
    switch (event.kind) {
      case 'world_event':
        runtime.inject(event.payload['event']);
        break;
      case 'agent_paused':
        if (!afterResumePoint) runtime.pauseAgent(requireAgent(event));
        break;
      case 'agent_resumed':
        if (!afterResumePoint) runtime.resumeAgent(requireAgent(event));
        break;
      case 'approval_resolved':
        if (!afterResumePoint) {
          runtime.resolveApproval(
            requireAgent(event),
            String(event.payload['approvalId']),
            event.payload['approved'] === true,
          );
        }
        break;
      case 'tick_completed':
        await runtime.tick();
        if (event.seq >= fromSeq) return index + 1;
        break;
      default:
        break;
    }
  }
  return original.length;
}

function compareDigests(
  original: readonly StreamEvent[],
  replayed: readonly StreamEvent[],
): ReplayMismatch[] {
  const mismatches: ReplayMismatch[] = [];
  const length = Math.max(original.length, replayed.length);
  for (let index = 0; index < length; index += 1) {
    const expected = original[index];
    const actual = replayed[index];
    const expectedDigest = expected === undefined ? null : eventDigest(expected);
    const actualDigest = actual === undefined ? null : eventDigest(actual);
    if (expectedDigest === actualDigest) continue;
    const reason =
      expected === undefined
        ? 'replay produced an extra event'
        : actual === undefined
          ? 'replay is missing this event'
          : 'event content differs';
    mismatches.push({
      index,
      originalSeq: expected?.seq ?? null,
      expectedDigest,
      actualDigest,
      kind: expected?.kind ?? actual?.kind ?? null,
      reason,
    });
  }
  return mismatches;
}

/**
 * Reads every event the replayed runtime kept: with a store all of them, including any its builder
 * caused, and without one those since the feed was opened, up to its event retention.
 */
function readFeedEvents(feed: RuntimeWorldFeed): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (let afterSeq = 0; ; ) {
    const page = feed.readEvents(afterSeq, READ_PAGE_SIZE);
    events.push(...page);
    const last = page.at(-1);
    if (page.length < READ_PAGE_SIZE || last === undefined) return events;
    afterSeq = last.seq;
  }
}

function requireRun(store: RuntimeStore, runId: string): RunInfo {
  const run = store.getRun(runId);
  if (run === null)
    throw new GaltError('not_found', `run '${runId}' not found in the store`, {
      remedy: 'Pass the id of a recorded run',
    });
  return run;
}

function readRunEvents(store: RuntimeStore, runId: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (let fromSeq = 1; ; ) {
    const page = store.readEvents({ runId, fromSeq, limit: READ_PAGE_SIZE });
    events.push(...page);
    const last = page.at(-1);
    if (page.length < READ_PAGE_SIZE || last === undefined) return events;
    fromSeq = last.seq + 1;
  }
}

function checkFromSeq(original: readonly StreamEvent[], fromSeq: number | undefined): number {
  if (fromSeq === undefined) return Number.POSITIVE_INFINITY;
  if (!original.some((event) => event.seq === fromSeq)) {
    throw new GaltError('invalid_input', `event ${fromSeq} is not part of this run`, {
      remedy: 'Pass the sequence number of an event of the replayed run',
    });
  }
  return fromSeq;
}

function modelTemplate(run: RunInfo): Pick<DecisionModel, 'featureDimension' | 'heads' | 'digest'> {
  const parsed = RunModelConfigSchema.safeParse(run.config);
  if (!parsed.success) {
    throw new GaltError(
      'invalid_input',
      `run '${run.runId}' has no model shape in its config: ${parsed.error.message}`,
      {
        remedy:
          'Replay runs recorded by this runtime, which stores featureDimension and heads in the run config',
      },
    );
  }
  return { ...parsed.data, digest: run.modelDigest };
}

function recordedCalls(events: readonly StreamEvent[]): RecordedCall[] {
  return events
    .filter(
      (event) =>
        (event.kind === 'model_outputs' || isLegacyOutputsEvent(event)) &&
        event.payload['modelOutputs'] !== undefined,
    )
    .map((event) => ({
      tick: event.tick,
      batch: Number(event.payload['batch']),
      outputs: decodeOutputs(event.payload['modelOutputs'] as Record<string, string>),
    }));
}

/** Runs recorded before `model_outputs` existed stored model outputs as agentless observations. */
function isLegacyOutputsEvent(event: StreamEvent): boolean {
  return event.kind === 'observation' && event.agentId === null;
}

function requireAgent(event: StreamEvent): string {
  if (event.agentId === null)
    throw new GaltError('invalid_input', `event ${event.seq} (${event.kind}) has no agentId`);
  return event.agentId;
}
