import type { MemoryCandidate, SafetyVerdict, TaskProposal } from '@galt/protocol';

/** Builds a valid memory candidate for tests, with `overrides` applied. */
export function makeCandidate(overrides: Partial<MemoryCandidate> = {}): MemoryCandidate {
  return {
    candidateId: 'c1',
    agentId: 'smith',
    subject: 'player-1',
    attribute: 'hobby',
    content: 'The player likes fishing',
    dependencyLayer: 'L3',
    provenance: 'user_sourced',
    consent: 'given',
    importance: 0.5,
    tick: 4,
    ...overrides,
  };
}

/** Builds a verdict in which every layer passes. */
export function passingVerdict(tick = 4): SafetyVerdict {
  return {
    agentId: 'smith',
    tick,
    layers: (['L0', 'L1', 'L2', 'L3'] as const).map((layer) => ({ layer, status: 'pass' })),
    violationLayer: 'none',
    blocked: false,
    firstBlockedChunk: null,
    screenedInputs: [],
  };
}

/** Builds a task proposal that speaks `replyChunks`. */
export function makeProposal(
  replyChunks: string[],
  overrides: Partial<TaskProposal> = {},
): TaskProposal {
  return {
    agentId: 'smith',
    tick: 4,
    action: { agentId: 'smith', tick: 4, kind: 'speak', toolCalls: [] },
    replyChunks,
    memoryCandidates: [],
    ...overrides,
  };
}
