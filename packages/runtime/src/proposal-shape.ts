import {
  AgentActionKindSchema,
  ConsentSchema,
  type MemoryCandidate,
  ProvenanceSchema,
  SafetyLayerSchema,
  type TaskProposal,
} from '@galt/protocol';

/** Maximum length of agent, target and zone ids in `TaskProposalSchema`. */
const MAX_ID_LENGTH = 200;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** True when every own key is allowed and no value is explicitly undefined. */
function hasOnlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (!allowed.has(key) || value[key] === undefined) return false;
  }
  return true;
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isMember(value: unknown, members: ReadonlySet<string>): boolean {
  return typeof value === 'string' && members.has(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function isTick(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}
