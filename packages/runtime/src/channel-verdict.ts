import { GaltError, SafetyStack, type ScreenRequest, type ScreenTarget } from '@galt/core';
import {
  formatIssues,
  isHardLayer,
  parseWith,
  SAFETY_LAYERS,
  type SafetyVerdict,
  SafetyVerdictSchema,
  type ViolationLayer,
} from '@galt/protocol';
import type { SafetyChannel, SafetyContext } from './runtime-types.js';
import { withSafetyTimeout } from './safety-timeout.js';

/**
 * Checks a verdict from a safety channel other than core's `SafetyStack`. It must match
 * `SafetyVerdictSchema`, name this agent and tick, and list the layers L0 to L3 in order. It must
 * also agree with itself: `violationLayer` is the lowest violated layer, `blocked` is true exactly
 * when that layer is L0 or L1, and a violation on a reply chunk sets `firstBlockedChunk` at or
 * before that chunk. Throws `invalid_input` otherwise. The caller then blocks the turn, because a
 * verdict that cannot be read must not let anything run.
 */
export function checkChannelVerdict(
  value: unknown,
  agentId: string,
  tick: number,
  targets: readonly ScreenTarget[] = [],
): SafetyVerdict {
  const parsed = parseWith(SafetyVerdictSchema, value);
  if (!parsed.ok) throw invalidVerdict(formatIssues(parsed.issues));
  const verdict = parsed.value;
  if (verdict.agentId !== agentId || verdict.tick !== tick) {
    throw invalidVerdict(
      `it is for agent '${verdict.agentId}' at tick ${verdict.tick}, not '${agentId}' at tick ${tick}`,
    );
  }
  const order = verdict.layers.map((layer) => layer.layer).join(',');
  if (order !== SAFETY_LAYERS.join(',')) throw invalidVerdict(`its layers are ${order}`);
  const lowest: ViolationLayer =
    verdict.layers.find((layer) => layer.status === 'violate')?.layer ?? 'none';
  if (verdict.violationLayer !== lowest) {
    throw invalidVerdict(
      `violationLayer is ${verdict.violationLayer}, but the lowest violated layer is ${lowest}`,
    );
  }
  if (verdict.blocked !== isHardLayer(lowest)) {
    throw invalidVerdict(`blocked is ${verdict.blocked} for violation layer ${lowest}`);
  }
  const chunk = firstViolatedChunk(verdict, targets);
  if (chunk !== null && (verdict.firstBlockedChunk === null || verdict.firstBlockedChunk > chunk)) {
    throw invalidVerdict(
      `a layer is violated on reply chunk ${chunk}, but firstBlockedChunk is ${verdict.firstBlockedChunk}`,
    );
  }
  return verdict;
}

/** Lowest index of a reply chunk that a violated layer names as its target, or null. */
function firstViolatedChunk(
  verdict: SafetyVerdict,
  targets: readonly ScreenTarget[],
): number | null {
  let lowest: number | null = null;
  for (const layer of verdict.layers) {
    if (layer.status !== 'violate') continue;
    const target = targets.find((item) => item.id === layer.target);
    if (target?.kind === 'chunk') lowest = Math.min(lowest ?? target.index, target.index);
  }
  return lowest;
}

function invalidVerdict(problem: string): GaltError {
  return new GaltError('invalid_input', `safety channel returned an invalid verdict: ${problem}`, {
    remedy:
      'Return a SafetyVerdict for the screened agent and tick, such as SafetyStack.screen does',
  });
}

/**
 * Calls `channel.screen` and waits at most `timeoutMs` for an asynchronous verdict, then checks
 * it with `checkChannelVerdict` unless core's `SafetyStack` made it. Rejects on a thrown error, a
 * timeout or an invalid verdict, each of which the caller treats as a failed screen.
 */
export async function screenWithin(
  channel: SafetyChannel,
  request: ScreenRequest<SafetyContext>,
  timeoutMs: number,
): Promise<SafetyVerdict> {
  const pending = channel.screen(request);
  const verdict =
    pending instanceof Promise
      ? await withSafetyTimeout(pending, timeoutMs, request.agentId)
      : pending;
  return channel instanceof SafetyStack
    ? verdict
    : checkChannelVerdict(verdict, request.agentId, request.tick, request.targets);
}
