import type { StreamEvent, ViolationLayer } from '@galt/protocol';
import type { Observable } from 'rxjs';
import type { AgentState } from './agent-state.js';
import type { AgentDeclaration } from './declaration.js';

/** A read-only view of one agent, taken when it is requested. */
export interface AgentView {
  readonly id: string;
  readonly declaration: AgentDeclaration;
  readonly paused: boolean;
  readonly violationLayer: ViolationLayer;
  /** Events of this agent only, as they are stored. */
  readonly events$: Observable<StreamEvent>;
}

/** Builds the view of an agent; `events$` is the agent's slice of the runtime's events. */
export function agentView(agent: AgentState, events$: Observable<StreamEvent>): AgentView {
  return {
    id: agent.id,
    declaration: agent.declaration,
    paused: agent.paused,
    violationLayer: agent.violationLayer,
    events$,
  };
}
