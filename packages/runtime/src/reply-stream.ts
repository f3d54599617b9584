import { chunkTargetId, errorMessage, type Logger, SafetyStack } from '@galt/core';
import type { SafetyVerdict, ViolationLayer } from '@galt/protocol';
import { defer, type Observable, tap } from 'rxjs';
import type { AgentState } from './agent-state.js';
import { checkChannelVerdict } from './channel-verdict.js';
import type { PendingEvent } from './event-log.js';
import { holdBackAtViolation, type ScreenedChunk } from './operators/hold-back-at-violation.js';
import type { RuntimeStore, SafetyChannel } from './runtime-types.js';
import { withSafetyTimeout } from './safety-timeout.js';

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
 * Screens a reply chunk by chunk as it is produced, each with the reply so far. Each passing chunk
 * is stored as a `reply_chunk` event before the next one is screened. The first violating chunk is withheld and
 * stored as a `turn_rejected` event and, with a store, a `turn_rejected` ledger record. Then the
 * source is unsubscribed, so no later chunk reaches any subscriber. A safety channel that throws
 * withholds the chunk (fails closed).
 */
export function streamReply(
  parts: ReplyStreamParts,
  chunks$: Observable<string>,
): Observable<ScreenedChunk> {
  return defer(() => {
    const emit = (kind: PendingEvent['kind'], payload: Record<string, unknown>) =>
      parts.publish([{ tick: parts.tick, agentId: parts.agent.id, kind, payload }]);
    const violations = new Map<number, ChunkViolation>();
    // Each chunk is screened with the reply so far, so a phrase split across chunks is caught at
    // the chunk that completes it. Chunks are screened in order, one at a time.
    let replySoFar = '';
    return chunks$.pipe(
      holdBackAtViolation((text, index) => {
        replySoFar += text;
        return screenChunk(parts, replySoFar, index, violations);
      }),
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
    const pending = parts.safety.screen(request);
    const screened =
      pending instanceof Promise
        ? await withSafetyTimeout(pending, parts.safetyTimeoutMs, agent.id)
        : pending;
    verdict =
      parts.safety instanceof SafetyStack
        ? screened
        : checkChannelVerdict(screened, agent.id, parts.tick);
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
