import type { SafetyVerdict, TaskProposal } from '@galt/protocol';
import type { PendingEvent } from './event-log.js';
import type { RuntimeStore } from './runtime-types.js';

type Emit = (kind: PendingEvent['kind'], payload: Record<string, unknown>) => void;

/** A turn after its verdict, as far as its reply and its rejection are concerned. */
export interface ReplyTurn {
  agentId: string;
  tick: number;
  proposal: TaskProposal;
  verdict: SafetyVerdict;
  /** Ids of the inputs removed from the turn window because they caused the block. */
  refusedInputs: readonly string[];
}

/**
 * Emits the reply chunks the verdict allows. A rejected turn (blocked, or with a withheld chunk)
 * also gets a `turn_rejected` event and a `turn_rejected` ledger record when there is a store.
 */
export function emitReply(
  turn: ReplyTurn,
  rejected: boolean,
  store: RuntimeStore | undefined,
  emit: Emit,
): void {
  const { proposal, verdict } = turn;
  const allowed = verdict.blocked ? 0 : (verdict.firstBlockedChunk ?? proposal.replyChunks.length);
  for (let index = 0; index < allowed; index += 1) {
    emit('reply_chunk', { index, text: proposal.replyChunks[index] ?? '' });
  }
  if (!rejected) return;

  const violations = verdict.layers.flatMap((layer) => (layer.status === 'violate' ? [layer] : []));
  const rules = violations.map((layer) => layer.ruleId);
  emit('turn_rejected', {
    violationLayer: verdict.violationLayer,
    blocked: verdict.blocked,
    firstBlockedChunk: verdict.firstBlockedChunk,
    withheldChunks: proposal.replyChunks.length - allowed,
    rules,
    refusedInputs: [...turn.refusedInputs],
  });
  store?.ledger.append({
    kind: 'turn_rejected',
    tick: turn.tick,
    payload: {
      agentId: turn.agentId,
      tick: turn.tick,
      violationLayer: verdict.violationLayer,
      ruleIds: rules,
      reason: violations[0]?.reason ?? 'a reply chunk was withheld',
      blocked: verdict.blocked,
      withheldChunks: proposal.replyChunks.length - allowed,
      refusedInputs: [...turn.refusedInputs],
    },
  });
}
