import type { AgentDeclarationInput } from '@galt/runtime';
import { logitsName } from '../model/heads.js';
import type { NpcRole, NpcSpec } from '../world/roster.js';

/** Tools each role may call. */
export const ROLE_TOOLS: Record<NpcRole, string[]> = {
  guard: ['open_gate', 'speak'],
  merchant: ['trade', 'speak'],
  teacher: ['give_item', 'speak'],
  villager: ['speak'],
};

/**
 * Declares an NPC for the runtime: its role's policy and tools, and which model heads back its
 * channels. The task channel reads the action head, safety the residual head and memory the
 * memory head; tools are rules only.
 */
export function declareNpc(npc: NpcSpec): AgentDeclarationInput {
  return {
    id: npc.id,
    zone: npc.zone,
    policy: npc.role,
    tools: ROLE_TOOLS[npc.role],
    channels: {
      task: { backing: 'both', head: logitsName('action') },
      safety: { backing: 'both', head: logitsName('residual') },
      memory: { backing: 'model', head: logitsName('memory') },
      tool: { backing: 'rules' },
    },
  };
}
