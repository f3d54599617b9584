import type { MemoryCandidate, SafetyVerdict, TaskProposal } from '@galt/protocol';
import type { ScreenTarget } from './safety-rule.js';
import type { SafetyStack } from './safety-stack.js';
import type { TurnWindow } from './turn-window.js';

/** Id of the target that carries the concatenated window text. */
export const WINDOW_TARGET_ID = 'window';
/** Id of the target that carries the task proposal. */
export const PROPOSAL_TARGET_ID = 'proposal';

/** Input of `screenTurn`: one turn of one agent. */
export interface TurnScreenRequest<C> {
  agentId: string;
  tick: number;
  window: TurnWindow;
  proposal?: TaskProposal;
  /** Memory candidates to screen besides those inside the proposal. */
  candidates?: readonly MemoryCandidate[];
  context: C;
}

/**
 * Builds the targets of one turn: every unscreened input, the whole window text, the proposal,
 * each reply chunk and each memory candidate.
 */
export function buildTurnTargets(
  window: TurnWindow,
  proposal?: TaskProposal,
  candidates: readonly MemoryCandidate[] = [],
): ScreenTarget[] {
  const targets: ScreenTarget[] = [];
  window.forEachUnscreened((input) => {
    targets.push(
      input.event === undefined
        ? { kind: 'input', id: input.id, text: input.text }
        : { kind: 'input', id: input.id, text: input.text, event: input.event },
    );
  });
  targets.push({ kind: 'window', id: WINDOW_TARGET_ID, text: window.windowText() });

  if (proposal !== undefined) {
    targets.push({
      kind: 'proposal',
      id: PROPOSAL_TARGET_ID,
      text: proposalText(proposal),
      proposal,
    });
    chunkScreenTexts(proposal.replyChunks).forEach((text, index) => {
      targets.push({ kind: 'chunk', id: chunkTargetId(index), index, text });
    });
    for (const candidate of proposal.memoryCandidates) targets.push(candidateTarget(candidate));
  }
  for (const candidate of candidates) targets.push(candidateTarget(candidate));
  return targets;
}

/** A chunk that ends with one of these, before closing quotes and trailing spaces, ends a sentence. */
const SENTENCE_END = /[.!?…]["')\]]*\s*$/;

/** True when a reply chunk ends a sentence: `.`, `!`, `?` or `…`, then closing quotes or spaces. */
export function endsSentence(chunk: string): boolean {
  return SENTENCE_END.test(chunk);
}

/**
 * Returns the text each reply chunk is screened with: the whole sentence the chunk belongs to,
 * from the chunk after the previous sentence end through the next chunk that ends a sentence
 * (`endsSentence`). A rule then gets a phrase split across the chunks of one sentence, and the
 * first blocked chunk is the first chunk of the violating sentence. Each chunk's text is one
 * sentence, so screening stays linear in the reply's length; the `proposal` target carries the
 * whole reply for rules that need more.
 */
export function chunkScreenTexts(chunks: readonly string[]): string[] {
  const texts: string[] = new Array(chunks.length);
  let sentence = '';
  let sentenceStart = 0;
  for (let index = 0; index < chunks.length; index += 1) {
    const chunk = chunks[index] ?? '';
    sentence += chunk;
    if (index < chunks.length - 1 && !endsSentence(chunk)) continue;
    for (let member = sentenceStart; member <= index; member += 1) texts[member] = sentence;
    sentence = '';
    sentenceStart = index + 1;
  }
  return texts;
}

/** Chunk target ids made once for the first chunks, so a turn does not build the same strings. */
const CHUNK_TARGET_IDS = Array.from({ length: 32 }, (_, index) => `chunk:${index}`);

/** Id of the target of reply chunk `index`. */
export function chunkTargetId(index: number): string {
  return CHUNK_TARGET_IDS[index] ?? `chunk:${index}`;
}

function candidateTarget(candidate: MemoryCandidate): ScreenTarget {
  return {
    kind: 'candidate',
    id: `candidate:${candidate.candidateId}`,
    text: candidate.content,
    candidate,
  };
}

/**
 * Screens one turn and then marks its inputs screened in the window. The next turn then screens
 * only new inputs, while the window text keeps earlier inputs in view.
 */
export function screenTurn<C>(stack: SafetyStack<C>, request: TurnScreenRequest<C>): SafetyVerdict {
  const targets = buildTurnTargets(request.window, request.proposal, request.candidates);
  const verdict = stack.screen({
    agentId: request.agentId,
    tick: request.tick,
    targets,
    context: request.context,
  });
  request.window.markScreened(verdict.screenedInputs);
  return verdict;
}

/** Text form of a proposal: the utterance and the full reply, each on its own line. */
function proposalText(proposal: TaskProposal): string {
  const utterance = proposal.action.utterance ?? '';
  const chunks = proposal.replyChunks;
  const reply = chunks.length === 1 ? (chunks[0] ?? '') : chunks.join('');
  if (utterance.length === 0) return reply;
  return reply.length === 0 ? utterance : `${utterance}\n${reply}`;
}
