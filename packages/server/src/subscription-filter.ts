import type { ClientMessage, StreamEvent, StreamEventKind } from '@galt/protocol';

type SubscribeMessage = Extract<ClientMessage, { type: 'subscribe' }>;

/** Agents and kinds a subscription selects; a `null` set means no restriction. */
export interface SubscriptionFilter {
  readonly agents: ReadonlySet<string> | null;
  readonly kinds: ReadonlySet<StreamEventKind> | null;
}

/** Builds the filter of a subscribe message; absent or empty lists mean every agent or kind. */
export function filterFromSubscribe(message: SubscribeMessage): SubscriptionFilter {
  const agents = message.agents !== undefined && message.agents.length > 0;
  const kinds = message.kinds !== undefined && message.kinds.length > 0;
  return {
    agents: agents ? new Set(message.agents) : null,
    kinds: kinds ? new Set(message.kinds) : null,
  };
}

/**
 * Returns true when the filter selects the event.
 *
 * Events without an agent (world events, tick completions) pass the agent list, because they
 * concern every agent; the kind list applies to all events.
 */
export function filterMatches(filter: SubscriptionFilter, event: StreamEvent): boolean {
  if (filter.kinds !== null && !filter.kinds.has(event.kind)) return false;
  if (filter.agents === null || event.agentId === null) return true;
  return filter.agents.has(event.agentId);
}
