import type { SafetyVerdict, TaskProposal } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { withoutWithheldContent } from './proposal-redaction.js';

const proposal: TaskProposal = {
  agentId: 'guard',
  tick: 3,
  action: {
    agentId: 'guard',
    tick: 3,
    kind: 'speak',
    utterance: 'Hello there. I will burn your house down.',
    toolCalls: [
      {
        callId: 'c1',
        agentId: 'guard',
        tool: 'speak',
        arguments: { text: 'Hello there. I will burn your house down.' },
        sideEffect: true,
      },
    ],
  },
  replyChunks: ['Hello there.', ' I will burn your house down.'],
  memoryCandidates: [],
};

function verdict(blocked: boolean, firstBlockedChunk: number | null): SafetyVerdict {
  let violationLayer: SafetyVerdict['violationLayer'] = 'none';
  if (blocked) violationLayer = 'L0';
  else if (firstBlockedChunk !== null) violationLayer = 'L3';
  return {
    agentId: 'guard',
    tick: 3,
    layers: [
      { layer: 'L0', status: 'pass' },
      { layer: 'L1', status: 'pass' },
      { layer: 'L2', status: 'pass' },
      { layer: 'L3', status: 'pass' },
    ],
    violationLayer,
    blocked,
    firstBlockedChunk,
    screenedInputs: [],
  };
}

describe('withoutWithheldContent', () => {
  it('keeps a passed proposal whole', () => {
    expect(withoutWithheldContent(proposal, verdict(false, null))).toBe(proposal);
  });

  it('keeps only the chunks before the violating one', () => {
    const redacted = withoutWithheldContent(proposal, verdict(false, 1));
    expect(redacted.replyChunks).toEqual(['Hello there.']);
    expect(JSON.stringify(redacted)).not.toContain('burn');
  });

  it('drops every chunk, the utterance and the tool calls of a blocked turn', () => {
    const redacted = withoutWithheldContent(proposal, verdict(true, 1));
    expect(redacted.replyChunks).toEqual([]);
    expect(redacted.action.utterance).toBeUndefined();
    expect(redacted.action.toolCalls).toEqual([]);
    expect(JSON.stringify(redacted)).not.toContain('burn');
  });
});
