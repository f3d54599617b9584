import { type AdjudicationRecord, type ResidualDebt, ResidualDebtSchema } from '@galt/protocol';
import { z } from 'zod';
import { errorMessage, GaltError } from './errors.js';
import { type Logger, noopLogger } from './logger.js';
import { parseSnapshot } from './snapshot-parse.js';

/** What a resolver decides about one debt on re-adjudication. */
export type DebtResolution =
  /** The reason for deferring no longer holds, so the caller may adjudicate the candidate again. */
  | { outcome: 'cleared'; reason: string }
  /** The candidate must never be admitted. The debt is dropped and reported. */
  | { outcome: 'rejected'; reason: string }
  /** Still undecided. The debt stays, with one more attempt counted. */
  | { outcome: 'remains'; reason?: string };

/** Re-adjudicates one debt. It receives a copy, so changing it has no effect on the book. */
export type DebtResolver = (debt: ResidualDebt) => DebtResolution;

/** Result of one re-adjudication pass over an agent's debts. */
export interface ReadjudicationReport {
  cleared: { debt: ResidualDebt; reason: string }[];
  rejected: { debt: ResidualDebt; reason: string }[];
  remaining: ResidualDebt[];
}

/** Serialisable state of a `ResidualDebtBook`. */
export const ResidualDebtBookStateSchema = z.object({ debts: z.array(ResidualDebtSchema) });
export type ResidualDebtBookState = z.infer<typeof ResidualDebtBookStateSchema>;

/** Options of a `ResidualDebtBook`. */
export interface ResidualDebtBookOptions {
  /** Receives a warning for every resolver that throws or returns an invalid resolution. */
  logger?: Logger;
}

/**
 * Deferred memory candidates carried forward per agent until a later re-adjudication clears or
 * rejects them. The book never writes memory: a cleared debt is only reported, and the caller must
 * adjudicate the candidate again before anything is admitted.
 */
export class ResidualDebtBook {
  #debts = new Map<string, ResidualDebt>();
  readonly #logger: Logger;

  constructor(options: ResidualDebtBookOptions = {}) {
    this.#logger = options.logger ?? noopLogger;
  }

  /** Records a debt. Throws `invalid_input` for malformed data or a debt id already recorded. */
  add(debt: ResidualDebt): ResidualDebt {
    const parsed = parseSnapshot(ResidualDebtSchema, debt, 'ResidualDebtBook.add');
    if (this.#debts.has(parsed.debtId)) {
      throw new GaltError(
        'invalid_input',
        `ResidualDebtBook.add: debt '${parsed.debtId}' is already recorded`,
        {
          remedy: 'Give each debt a unique debtId',
        },
      );
    }
    this.#debts.set(parsed.debtId, parsed);
    return { ...parsed };
  }

  /** Returns the debts of one agent, or of all agents, in the order they were added. */
  list(agentId?: string): ResidualDebt[] {
    const debts = [...this.#debts.values()];
    const selected =
      agentId === undefined ? debts : debts.filter((debt) => debt.agentId === agentId);
    return selected.map((debt) => ({ ...debt }));
  }

  /**
   * Passes each debt of `agentId` to `resolver`. Cleared and rejected debts are removed and
   * reported. A debt that remains, or whose resolver throws or returns an invalid resolution,
   * stays with its attempt count raised, so a broken resolver never admits anything.
   */
  readjudicate(agentId: string, resolver: DebtResolver): ReadjudicationReport {
    const report: ReadjudicationReport = { cleared: [], rejected: [], remaining: [] };
    for (const debt of this.list(agentId)) {
      const resolution = this.#resolve(debt, resolver);
      if (resolution.outcome === 'remains') {
        const kept: ResidualDebt = { ...debt, attempts: debt.attempts + 1 };
        if (resolution.reason !== undefined) kept.reason = resolution.reason;
        this.#debts.set(debt.debtId, kept);
        report.remaining.push({ ...kept });
        continue;
      }
      this.#debts.delete(debt.debtId);
      report[resolution.outcome].push({ debt, reason: resolution.reason });
    }
    return report;
  }

  snapshot(): ResidualDebtBookState {
    return { debts: this.list() };
  }

  /** Replaces the book's contents with a snapshot's. */
  restore(state: unknown): void {
    const parsed = parseSnapshot(ResidualDebtBookStateSchema, state, 'ResidualDebtBook.restore');
    const debts = new Map<string, ResidualDebt>();
    for (const debt of parsed.debts) {
      if (debts.has(debt.debtId)) {
        throw new GaltError(
          'invalid_input',
          `ResidualDebtBook.restore: debt '${debt.debtId}' appears twice`,
          {
            remedy: 'Pass a value returned by ResidualDebtBook.snapshot()',
          },
        );
      }
      debts.set(debt.debtId, debt);
    }
    this.#debts = debts;
  }

  #resolve(debt: ResidualDebt, resolver: DebtResolver): DebtResolution {
    try {
      const resolution = resolver({ ...debt });
      if (isResolution(resolution)) return resolution;
      this.#logger.warn('debt resolver returned an invalid resolution; debt kept', {
        debtId: debt.debtId,
      });
      return { outcome: 'remains' };
    } catch (error) {
      this.#logger.warn('debt resolver threw; debt kept', {
        debtId: debt.debtId,
        error: errorMessage(error),
      });
      return { outcome: 'remains' };
    }
  }
}

/**
 * Returns the residual debt that a deferred adjudication leaves, or null when the record is not a
 * deferral. The debt id is derived from the candidate id, so adding the same deferral twice fails.
 */
export function residualDebtFromRecord(record: AdjudicationRecord): ResidualDebt | null {
  if (record.decision !== 'defer') return null;
  return {
    debtId: `debt:${record.agentId}:${record.candidateId}`,
    agentId: record.agentId,
    candidateId: record.candidateId,
    residual: record.residual,
    layer: record.decidingLayer,
    reason: record.reasons.join('; '),
    tick: record.tick,
    attempts: 0,
  };
}

function isResolution(value: unknown): value is DebtResolution {
  if (typeof value !== 'object' || value === null) return false;
  const { outcome, reason } = value as { outcome?: unknown; reason?: unknown };
  if (outcome === 'remains') return reason === undefined || typeof reason === 'string';
  return (outcome === 'cleared' || outcome === 'rejected') && typeof reason === 'string';
}
