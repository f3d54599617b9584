import { canonicalJson, sha256Hex } from '@galt/core';
import type { StreamEvent } from '@galt/protocol';

/**
 * Digest of an event's content: SHA-256 of the canonical JSON of its tick, agent, kind and
 * payload. Sequence number and run id are left out, so a replay into another run or store can
 * match the original event by event.
 */
export function eventDigest(
  event: Pick<StreamEvent, 'tick' | 'agentId' | 'kind' | 'payload'>,
): string {
  return sha256Hex(
    canonicalJson({
      tick: event.tick,
      agentId: event.agentId,
      kind: event.kind,
      payload: event.payload,
    }),
  );
}
