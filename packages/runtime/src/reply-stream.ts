import { chunkTargetId, errorMessage, type Logger } from '@galt/core';
import type { SafetyVerdict, ViolationLayer } from '@galt/protocol';
import { concatMap, defer, map, type Observable, tap } from 'rxjs';
import type { AgentState } from './agent-state.js';
import { screenWithin } from './channel-verdict.js';
import type { PendingEvent } from './event-log.js';
import { holdBackAtViolation, type ScreenedChunk } from './operators/hold-back-at-violation.js';
import { type ChunkGroup, sentenceGroups } from './operators/sentence-groups.js';
import type { RuntimeStore, SafetyChannel } from './runtime-types.js';

/** Runtime parts that streaming a reply uses. */
export interface ReplyStreamParts {
  agent: AgentState;
  safety: SafetyChannel;
  tick: number;
  logger: Logger;
  /** Milliseconds the safety channel may take per chunk before the chunk is withheld. */
  safetyTimeoutMs: number;
  /** Store whose ledger receives a `turn_rejected` record for a withheld chunk. */
  store: RuntimeStore | undefined;
  publish(events: readonly PendingEvent[]): void;
}

/** Violation behind a withheld chunk, for its ledger record. */
interface ChunkViolation {
  violationLayer: ViolationLayer;
  ruleIds: string[];
}

/**
 * Screens a reply as it is produced, one sentence at a time: chunks are held until a chunk ends a
 * sentence (`endsSentence`) or the source completes, and then that sentence is screened. The chunks of a
 * passing sentence are stored as `reply_chunk` events before the next sentence is screened. A
 * violating sentence is withheld from its first chunk on, stored as a `turn_rejected` event and,
 * with a store, a `turn_rejected` ledger record. Then the source is unsubscribed, so no later chunk
 * reaches any subscriber. A safety channel that throws or times out withholds the sentence (fails
 * closed).
 */
export function streamReply(
  parts: ReplyStreamParts,
  chunks$: Observable<string>,
): Observable<ScreenedChunk> {
  return defer(() => {
    const emit = (kind: PendingEvent['kind'], payload: Record<string, unknown>) =>
      parts.publish([{ tick: parts.tick, agentId: parts.agent.id, kind, payload }]);
    const violations = new Map<number, ChunkViolation>();
    // Chunks are held until their sentence ends, and then the sentence is screened. A phrase split
    // across chunks is therefore caught before any part of its sentence is released.
    const groups: ChunkGroup[] = [];
    return chunks$.pipe(
      sentenceGroups(),
      map((group) => {
        groups.push(group);
        return group.texts.join('');
      }),
      holdBackAtViolation((sentence, groupIndex) =>
        screenChunk(parts, sentence, groups[groupIndex]?.first ?? 0, violations),
      ),
      concatMap((item) => chunksOf(item, groups[item.index])),
      tap((item) => {
        if (item.type === 'chunk') {
          emit('reply_chunk', { index: item.index, text: item.text, streamed: true });
          return;
        }
        emit('turn_rejected', {
          firstBlockedChunk: item.index,
          reason: item.reason,
          streamed: true,
        });
        recordRejection(parts, item.index, item.reason, violations.get(item.index));
      }),
    );
  });
}

/**
 * Turns the screen's verdict on one sentence group back into per-chunk notifications: every chunk
 * of a passing group, or one rejection at the group's first chunk.
 */
function chunksOf(item: ScreenedChunk, group: ChunkGroup | undefined): ScreenedChunk[] {
  const first = group?.first ?? item.index;
  if (item.type === 'rejected') return [{ ...item, index: first }];
  return (group?.texts ?? [item.text]).map((text, offset) => ({
    type: 'chunk',
    index: first + offset,
    text,
  }));
}

/** Appends the `turn_rejected` ledger record of a withheld streamed chunk. */
function recordRejection(
  parts: ReplyStreamParts,
  index: number,
  reason: string,
  violation: ChunkViolation | undefined,
): void {
  parts.store?.ledger.append({
    kind: 'turn_rejected',
    tick: parts.tick,
    payload: {
      agentId: parts.agent.id,
      tick: parts.tick,
      violationLayer: violation?.violationLayer ?? 'L0',
      ruleIds: violation?.ruleIds ?? [],
      reason,
      streamed: true,
      firstBlockedChunk: index,
    },
  });
}

async function screenChunk(
  parts: ReplyStreamParts,
  text: string,
  index: number,
  violations: Map<number, ChunkViolation>,
): Promise<string | null> {
  const { agent } = parts;
  const context = {
    agentId: agent.id,
    tick: parts.tick,
    declaration: agent.declaration,
    previousViolationLayer: agent.violationLayer,
    heads: {},
  };
  let verdict: SafetyVerdict;
  try {
    const request = {
      agentId: agent.id,
      tick: parts.tick,
      targets: [{ kind: 'chunk' as const, id: chunkTargetId(index), index, text }],
      context,
    };
    verdict = await screenWithin(parts.safety, request, parts.safetyTimeoutMs);
  } catch (error) {
    parts.logger.error('safety channel failed on a streamed chunk; chunk withheld', {
      agentId: agent.id,
      index,
      error: errorMessage(error),
    });
    return `safety channel failed: ${errorMessage(error)}`;
  }
  if (!verdict.blocked && verdict.firstBlockedChunk === null) return null;
  const rules = verdict.layers.flatMap((layer) =>
    layer.status === 'violate' ? [layer.ruleId] : [],
  );
  violations.set(index, { violationLayer: verdict.violationLayer, ruleIds: rules });
  return `violated ${rules.join(', ')}`;
}
