import {
  adjudicateCandidate,
  adjudicateValidated,
  errorMessage,
  GaltError,
  isGaltError,
  type Logger,
  type ProposedAdjudication,
  type ResidualDebtBook,
  residualDebtFromRecord,
} from '@galt/core';
import type {
  AdjudicationRecord,
  LedgerAppend,
  MemoryCandidate,
  MemoryRecord,
  ParametricWriteRecord,
  ResidualDebt,
  SafetyVerdict,
} from '@galt/protocol';
import type { PendingEvent } from './event-log.js';
import type { ParametricMemoryWriter, RuntimeStore } from './runtime-types.js';

/** Write attempts on a version conflict: the first read can be stale once, rarely twice. */
const MAX_WRITE_ATTEMPTS = 3;

/** Services the memory step uses from the runtime. */
export interface MemoryStepServices {
  store: RuntimeStore | undefined;
  memoryWriter: ParametricMemoryWriter | undefined;
  debts: ResidualDebtBook;
  logger: Logger;
}

/** Outcome of the turn that proposed the candidates. */
export interface MemoryStepTurn {
  /** A rejected turn keeps nothing. */
  turnRejected: boolean;
  /** The classifier heads' proposal, recorded beside each adjudication; it never decides. */
  proposed: ProposedAdjudication | undefined;
  /**
   * True when the verdict is known to match its schema, so adjudication skips the zod re-parse.
   * The candidates always passed the proposal check, which validates them.
   */
  verdictValidated: boolean;
}

/** Result of one turn's memory step. */
export interface MemoryStepResult {
  events: PendingEvent[];
  /** True when any memory row changed, so cached memories must be read again. */
  changed: boolean;
}

/**
 * Adjudicates the turn's memory candidates against its safety verdict, writes the accepted ones
 * and records the others in the ledger. A rejected turn keeps nothing: each of its candidates is
 * recorded as rejected, and none becomes residual debt. Admitted candidates go to the parametric
 * memory writer, and only then is the result a promise.
 */
export function runMemoryStep(
  services: MemoryStepServices,
  candidates: readonly MemoryCandidate[],
  verdict: SafetyVerdict,
  turn: MemoryStepTurn,
): MemoryStepResult | Promise<MemoryStepResult> {
  const events: PendingEvent[] = [];
  const ledger: LedgerAppend[] = [];
  const admitted: { candidate: MemoryCandidate; record: MemoryRecord }[] = [];
  let changed = false;

  for (const candidate of candidates) {
    const adjudication = adjudicateForTurn(candidate, verdict, turn);
    events.push(event(verdict, 'adjudication', { adjudication }));
    if (adjudication.decision !== 'accept') {
      ledger.push({ kind: 'adjudication', tick: verdict.tick, payload: { adjudication } });
      const debt = residualDebtFromRecord(adjudication);
      if (debt !== null && addDebt(services, debt)) {
        ledger.push({ kind: 'residual_debt', tick: verdict.tick, payload: { debt } });
      }
      continue;
    }
    const written = writeAccepted(services, candidate, adjudication);
    if (written === null) continue;
    changed = true;
    events.push(event(verdict, 'memory_written', written.payload));
    if (written.payload.outcome !== 'deduplicated')
      admitted.push({ candidate, record: written.record });
  }

  if (ledger.length > 0) services.store?.ledger.appendMany(ledger);
  if (admitted.length > 0 && services.memoryWriter !== undefined) {
    return writeParametric(services, verdict, admitted).then((written) => {
      events.push(written);
      return { events, changed };
    });
  }
  return { events, changed };
}

/** Adds a debt unless one for the same candidate is already carried; returns whether it was added. */
function addDebt(services: MemoryStepServices, debt: ResidualDebt): boolean {
  try {
    services.debts.add(debt);
    return true;
  } catch (error) {
    if (!isGaltError(error, 'invalid_input')) throw error;
    services.logger.debug('residual debt already carried', { debtId: debt.debtId });
    return false;
  }
}

function adjudicateForTurn(
  candidate: MemoryCandidate,
  verdict: SafetyVerdict,
  turn: MemoryStepTurn,
): AdjudicationRecord {
  const options =
    turn.proposed === undefined
      ? { tick: verdict.tick }
      : { tick: verdict.tick, proposed: turn.proposed };
  const adjudicate = turn.verdictValidated ? adjudicateValidated : adjudicateCandidate;
  const adjudication = adjudicate(candidate, verdict, options);
  if (!turn.turnRejected || adjudication.decision === 'reject') return adjudication;
  return {
    ...adjudication,
    decision: 'reject',
    gate: 0,
    reasons: [...adjudication.reasons, 'the turn was rejected, so nothing from it is admitted'],
  };
}

function writeAccepted(
  services: MemoryStepServices,
  candidate: MemoryCandidate,
  adjudication: AdjudicationRecord,
): { record: MemoryRecord; payload: Record<string, unknown> & { outcome: string } } | null {
  const store = services.store;
  if (store === undefined) return null;
  let expectedVersion =
    store.memory.read(candidate.agentId, candidate.subject, candidate.attribute)?.version ?? 0;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
    const result = store.memory.write(candidate, adjudication, expectedVersion);
    if (result.outcome !== 'conflict') {
      const { record } = result;
      const payload = {
        outcome: result.outcome,
        memoryId: record.memoryId,
        subject: record.subject,
        attribute: record.attribute,
        version: record.version,
      };
      return { record, payload };
    }
    expectedVersion = result.currentVersion;
  }
  services.logger.warn('memory write kept conflicting; candidate dropped', {
    candidateId: candidate.candidateId,
    agentId: candidate.agentId,
    attempts: MAX_WRITE_ATTEMPTS,
  });
  return null;
}

const LEDGER_KIND_BY_OUTCOME = {
  committed: 'parametric_write',
  rolled_back: 'parametric_rollback',
  refused: 'parametric_refused',
} as const;

async function writeParametric(
  services: MemoryStepServices,
  verdict: SafetyVerdict,
  admitted: readonly { candidate: MemoryCandidate; record: MemoryRecord }[],
): Promise<PendingEvent> {
  const request = {
    agentId: verdict.agentId,
    tick: verdict.tick,
    admitted: admitted.map((item) => item.candidate),
    records: admitted.map((item) => item.record),
  };
  let record: ParametricWriteRecord | null = null;
  let failure: string | null = null;
  try {
    record = await services.memoryWriter!.write(request);
  } catch (error) {
    failure = errorMessage(error);
    const code = error instanceof GaltError ? error.code : 'internal';
    services.logger.error('parametric memory write failed', {
      agentId: verdict.agentId,
      tick: verdict.tick,
      code,
      error: failure,
    });
  }
  if (record === null) {
    const payload = {
      agentId: verdict.agentId,
      outcome: 'refused',
      reason: `memory writer failed: ${failure}`,
    };
    services.store?.ledger.append({ kind: 'parametric_refused', tick: verdict.tick, payload });
    return event(verdict, 'parametric_write', payload);
  }
  services.store?.ledger.append({
    kind: LEDGER_KIND_BY_OUTCOME[record.outcome],
    tick: verdict.tick,
    payload: { record },
  });
  return event(verdict, 'parametric_write', { record });
}

function event(
  verdict: SafetyVerdict,
  kind: PendingEvent['kind'],
  payload: Record<string, unknown>,
): PendingEvent {
  return { tick: verdict.tick, agentId: verdict.agentId, kind, payload };
}
