import type { ResidualDebt } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { adjudicateCandidate } from './adjudication.js';
import { GaltError } from './errors.js';
import { createMemoryLogger } from './logger.js';
import { ResidualDebtBook, residualDebtFromRecord } from './residual-debt-book.js';
import { makeCandidate, passingVerdict } from './test-fixtures.js';

function debt(debtId: string, agentId = 'smith'): ResidualDebt {
  return {
    debtId,
    agentId,
    candidateId: `c-${debtId}`,
    residual: 'soft_rule_debt',
    layer: 'L2',
    reason: 'workflow step missing',
    tick: 3,
    attempts: 0,
  };
}

describe('ResidualDebtBook', () => {
  it('lists debts per agent in insertion order', () => {
    const book = new ResidualDebtBook();
    book.add(debt('a'));
    book.add(debt('b', 'baker'));
    book.add(debt('c'));
    expect(book.list('smith').map((entry) => entry.debtId)).toEqual(['a', 'c']);
    expect(book.list().map((entry) => entry.debtId)).toEqual(['a', 'b', 'c']);
  });

  it('rejects duplicates and malformed debts', () => {
    const book = new ResidualDebtBook();
    book.add(debt('a'));
    expect(() => book.add(debt('a'))).toThrow(/already recorded/);
    expect(() => book.add({ ...debt('x'), attempts: -1 })).toThrow(GaltError);
  });

  it('removes and reports cleared and rejected debts, keeps the rest', () => {
    const book = new ResidualDebtBook();
    for (const id of ['clear', 'reject', 'keep']) book.add(debt(id));
    book.add(debt('other', 'baker'));

    const report = book.readjudicate('smith', (entry) => {
      if (entry.debtId === 'clear') return { outcome: 'cleared', reason: 'step done' };
      if (entry.debtId === 'reject') return { outcome: 'rejected', reason: 'now forbidden' };
      return { outcome: 'remains', reason: 'still waiting' };
    });

    expect(report.cleared).toEqual([{ debt: debt('clear'), reason: 'step done' }]);
    expect(report.rejected.map((entry) => entry.debt.debtId)).toEqual(['reject']);
    expect(report.remaining).toEqual([{ ...debt('keep'), attempts: 1, reason: 'still waiting' }]);
    expect(book.list().map((entry) => entry.debtId)).toEqual(['keep', 'other']);
  });

  it('keeps a debt whose resolver throws or returns junk', () => {
    const logger = createMemoryLogger();
    const book = new ResidualDebtBook({ logger });
    book.add(debt('a'));
    book.add(debt('b'));
    const report = book.readjudicate('smith', (entry) => {
      if (entry.debtId === 'a') throw new Error('teacher offline');
      return { outcome: 'cleared' } as never;
    });
    expect(report.cleared).toEqual([]);
    expect(report.remaining.map((entry) => entry.attempts)).toEqual([1, 1]);
    expect(logger.entriesAt('warn')).toHaveLength(2);
    expect(logger.entries[0]?.fields).toMatchObject({ debtId: 'a', error: 'teacher offline' });
  });

  it('ignores resolver changes to its copy', () => {
    const book = new ResidualDebtBook();
    book.add(debt('a'));
    book.readjudicate('smith', (entry) => {
      entry.reason = 'mutated';
      entry.layer = 'L0';
      return { outcome: 'remains' };
    });
    expect(book.list()[0]?.reason).toBe('workflow step missing');
    expect(book.list()[0]?.layer).toBe('L2');
    expect(book.list()[0]?.attempts).toBe(1);
  });

  it('round-trips through a snapshot', () => {
    const book = new ResidualDebtBook();
    book.add(debt('a'));
    book.add(debt('b', 'baker'));
    const restored = new ResidualDebtBook();
    restored.restore(JSON.parse(JSON.stringify(book.snapshot())));
    expect(restored.snapshot()).toEqual(book.snapshot());
    expect(() => restored.restore({ debts: [debt('a'), debt('a')] })).toThrow(/appears twice/);
    expect(() => restored.restore({ debts: 'no' })).toThrow(GaltError);
    expect(restored.list()).toHaveLength(2);
  });
});

describe('residualDebtFromRecord', () => {
  it('turns a deferral into a debt and ignores other decisions', () => {
    const verdict = passingVerdict(7);
    verdict.layers[3] = { layer: 'L3', status: 'violate', ruleId: 'pref', reason: 'too early' };
    verdict.violationLayer = 'L3';
    const deferred = adjudicateCandidate(makeCandidate(), verdict);
    expect(residualDebtFromRecord(deferred)).toEqual({
      debtId: 'debt:smith:c1',
      agentId: 'smith',
      candidateId: 'c1',
      residual: 'soft_rule_debt',
      layer: 'L3',
      reason: 'L3 violate (pref): too early',
      tick: 7,
      attempts: 0,
    });
    expect(
      residualDebtFromRecord(adjudicateCandidate(makeCandidate(), passingVerdict())),
    ).toBeNull();
  });
});
