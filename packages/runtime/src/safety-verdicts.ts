import type { ScreenTarget } from '@galt/core';
import { SAFETY_LAYERS, type SafetyVerdict } from '@galt/protocol';

/** Rule id recorded when the safety channel itself failed and the turn was blocked. */
export const SAFETY_CHANNEL_FAILED_RULE_ID = 'runtime.safety_channel_failed';

/**
 * Builds the verdict used when the safety channel throws: an L0 violation that blocks the turn.
 * No input counts as screened, so the next turn screens them again.
 */
export function failClosedVerdict(
  agentId: string,
  tick: number,
  targets: readonly ScreenTarget[],
  reason: string,
): SafetyVerdict {
  const target = targets.find((item) => item.kind === 'proposal')?.id;
  return {
    agentId,
    tick,
    layers: SAFETY_LAYERS.map((layer) =>
      layer === 'L0'
        ? {
            layer,
            status: 'violate' as const,
            ruleId: SAFETY_CHANNEL_FAILED_RULE_ID,
            reason,
            ...(target === undefined ? {} : { target }),
          }
        : { layer, status: 'pass' as const },
    ),
    violationLayer: 'L0',
    blocked: true,
    firstBlockedChunk: null,
    screenedInputs: [],
  };
}
