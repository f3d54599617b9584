import type { SafetyVerdict, TaskProposal } from '@galt/protocol';

/**
 * Returns the proposal as subscribers may see it after its verdict. A rejected turn keeps only
 * the reply chunks before the violating one, and loses the action's utterance and tool calls,
 * because their arguments (a `speak` call's text, say) may repeat the withheld reply. Nothing of
 * a rejected turn runs, so the record loses no effect.
 */
export function withoutWithheldContent(
  proposal: TaskProposal,
  verdict: SafetyVerdict,
): TaskProposal {
  if (!verdict.blocked && verdict.firstBlockedChunk === null) return proposal;
  const permitted = verdict.blocked ? 0 : (verdict.firstBlockedChunk ?? 0);
  const { utterance: _withheld, ...action } = proposal.action;
  return {
    ...proposal,
    action: { ...action, toolCalls: [] },
    replyChunks: proposal.replyChunks.slice(0, permitted),
  };
}
