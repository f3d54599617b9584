import {
  AgentActionKindSchema,
  ConsentSchema,
  type MemoryCandidate,
  ProvenanceSchema,
  SafetyLayerSchema,
  type TaskProposal,
} from '@galt/protocol';
import {
  hasOnlyKeys,
  isEmptyArray,
  isId,
  isMember,
  isNonEmpty,
  isRecord,
  isStringArray,
  isTick,
} from './plain-checks.js';

/** Maximum length of memory candidate content in `MemoryCandidateSchema`. */
const MAX_CONTENT_LENGTH = 10_000;
/** Importance `MemoryCandidateSchema` fills in when a candidate has none. */
const DEFAULT_IMPORTANCE = 0.5;

const PROPOSAL_KEYS = new Set(['agentId', 'tick', 'action', 'replyChunks', 'memoryCandidates']);
const ACTION_KEYS = new Set([
  'agentId',
  'tick',
  'kind',
  'targetId',
  'zone',
  'utterance',
  'toolCalls',
]);
const ACTION_KINDS: ReadonlySet<string> = new Set(AgentActionKindSchema.options);
const CANDIDATE_KEYS = new Set([
  'candidateId',
  'agentId',
  'subject',
  'attribute',
  'content',
  'dependencyLayer',
  'provenance',
  'consent',
  'importance',
  'tick',
]);
const LAYERS: ReadonlySet<string> = new Set(SafetyLayerSchema.options);
const PROVENANCES: ReadonlySet<string> = new Set(ProvenanceSchema.options);
const CONSENTS: ReadonlySet<string> = new Set(ConsentSchema.options);

/**
 * Returns a copy of a policy's output when it is a proposal of the most common form (no tool
 * calls, no scores, memory candidates without context) that `TaskProposalSchema` accepts, and null
 * otherwise. The caller parses everything else with the schema, so this check only saves the zod
 * parse on the hot path. It accepts nothing that the schema rejects and copies every object and
 * array it keeps, as a parse would.
 */
export function copyPlainProposal(raw: unknown): TaskProposal | null {
  if (!isRecord(raw) || !hasOnlyKeys(raw, PROPOSAL_KEYS)) return null;
  const { agentId, tick, action, replyChunks, memoryCandidates } = raw;
  if (!isId(agentId) || !isTick(tick)) return null;
  if (replyChunks !== undefined && !isStringArray(replyChunks)) return null;
  const copiedCandidates = copyPlainCandidates(memoryCandidates);
  if (copiedCandidates === null) return null;
  const copiedAction = copyPlainAction(action);
  if (copiedAction === null) return null;
  return {
    agentId,
    tick,
    action: copiedAction,
    replyChunks: replyChunks === undefined ? [] : [...replyChunks],
    memoryCandidates: copiedCandidates,
  };
}

function copyPlainCandidates(candidates: unknown): MemoryCandidate[] | null {
  if (candidates === undefined) return [];
  if (!Array.isArray(candidates)) return null;
  const copied: MemoryCandidate[] = [];
  for (const candidate of candidates) {
    const copy = copyPlainCandidate(candidate);
    if (copy === null) return null;
    copied.push(copy);
  }
  return copied;
}

function copyPlainCandidate(candidate: unknown): MemoryCandidate | null {
  if (!isRecord(candidate) || !hasOnlyKeys(candidate, CANDIDATE_KEYS)) return null;
  const { candidateId, agentId, subject, attribute, content, tick, importance } = candidate;
  const { dependencyLayer, provenance, consent } = candidate;
  if (!isNonEmpty(candidateId) || !isNonEmpty(agentId) || !isNonEmpty(subject)) return null;
  if (!isNonEmpty(attribute) || !isNonEmpty(content) || content.length > MAX_CONTENT_LENGTH)
    return null;
  if (!isTick(tick)) return null;
  if (!isMember(dependencyLayer, LAYERS) || !isMember(provenance, PROVENANCES)) return null;
  if (!isMember(consent, CONSENTS)) return null;
  const weight = importance === undefined ? DEFAULT_IMPORTANCE : importance;
  if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) return null;
  return {
    candidateId,
    agentId,
    subject,
    attribute,
    content,
    dependencyLayer: dependencyLayer as MemoryCandidate['dependencyLayer'],
    provenance: provenance as MemoryCandidate['provenance'],
    consent: consent as MemoryCandidate['consent'],
    importance: weight,
    tick,
  };
}

function copyPlainAction(action: unknown): TaskProposal['action'] | null {
  if (!isRecord(action) || !hasOnlyKeys(action, ACTION_KEYS)) return null;
  const { agentId, tick, kind, targetId, zone, utterance, toolCalls } = action;
  if (!isId(agentId) || !isTick(tick)) return null;
  if (typeof kind !== 'string' || !ACTION_KINDS.has(kind)) return null;
  if (toolCalls !== undefined && !isEmptyArray(toolCalls)) return null;
  const copied: TaskProposal['action'] = {
    agentId,
    tick,
    kind: kind as TaskProposal['action']['kind'],
    toolCalls: [],
  };
  if ('targetId' in action) {
    if (!isId(targetId)) return null;
    copied.targetId = targetId;
  }
  if ('zone' in action) {
    if (!isId(zone)) return null;
    copied.zone = zone;
  }
  if ('utterance' in action) {
    if (typeof utterance !== 'string') return null;
    copied.utterance = utterance;
  }
  return copied;
}
