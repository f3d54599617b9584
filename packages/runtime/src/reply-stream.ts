import { errorMessage, type Logger } from '@galt/core';
import type { SafetyVerdict } from '@galt/protocol';
import { defer, type Observable, tap } from 'rxjs';
import type { AgentState } from './agent-state.js';
import type { PendingEvent } from './event-log.js';
import { holdBackAtViolation, type ScreenedChunk } from './operators/hold-back-at-violation.js';
import type { SafetyChannel } from './runtime-types.js';

/** Runtime parts that streaming a reply uses. */
export interface ReplyStreamParts {
  agent: AgentState;
  safety: SafetyChannel;
  tick: number;
  logger: Logger;
  publish(events: readonly PendingEvent[]): void;
}

/**
 * Screens a reply chunk by chunk as it is produced. Each passing chunk is stored as a
 * `reply_chunk` event before the next one is screened. The first violating chunk is withheld and
 * stored as `turn_rejected`. Then the source is unsubscribed, so no later chunk reaches any
 * subscriber. A safety channel that throws withholds the chunk (fails closed).
 */
export function streamReply(
  parts: ReplyStreamParts,
  chunks$: Observable<string>,
): Observable<ScreenedChunk> {
  return defer(() => {
    const emit = (kind: PendingEvent['kind'], payload: Record<string, unknown>) =>
      parts.publish([{ tick: parts.tick, agentId: parts.agent.id, kind, payload }]);
    return chunks$.pipe(
      holdBackAtViolation((text, index) => screenChunk(parts, text, index)),
      tap((item) => {
        if (item.type === 'chunk')
          emit('reply_chunk', { index: item.index, text: item.text, streamed: true });
        else
          emit('turn_rejected', {
            firstBlockedChunk: item.index,
            reason: item.reason,
            streamed: true,
          });
      }),
    );
  });
}

async function screenChunk(
  parts: ReplyStreamParts,
  text: string,
  index: number,
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
    verdict = await parts.safety.screen({
      agentId: agent.id,
      tick: parts.tick,
      targets: [{ kind: 'chunk', id: `chunk:${index}`, index, text }],
      context,
    });
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
  return `violated ${rules.join(', ')}`;
}
