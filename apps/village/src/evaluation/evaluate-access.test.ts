import { describe, expect, it } from 'vitest';
import { evaluateAccess } from './evaluate-access.js';

describe('evaluateAccess', () => {
  it('scores the held-out packet grid', async () => {
    const result = await evaluateAccess({ domainFolds: false });
    expect(result.heldOutPackets).toBeGreaterThan(0);
    expect(result.pairs).toBeGreaterThan(0);
    expect(result.gates.ledger.accuracy).toBe(1);
    expect(result.gates.learned.accuracy).not.toBeNull();
    expect(result.domainHeldOut).toBeNull();
  });

  it('covers both directions', async () => {
    const { gates } = await evaluateAccess({ domainFolds: false });
    // Each simple gate fails exactly one direction on the same pairs.
    expect(gates.independent.topDown).toBe(1);
    expect(gates.independent.bottomUp).toBeLessThan(1);
    expect(gates.globalFlush.bottomUp).toBe(1);
    expect(gates.globalFlush.topDown).toBe(0);
  });

  it('scores the full symbolic grid', async () => {
    const { grid } = await evaluateAccess({ domainFolds: false });
    expect(grid.cells).toBe(20);
    expect(grid.ledger.accuracy).toBe(1);
    expect(grid.independent.accuracy).toBeCloseTo(0.7);
    expect(grid.independent.bottomUp).toBeCloseTo(0.4);
    expect(grid.globalFlush.accuracy).toBeCloseTo(0.7);
    expect(grid.globalFlush.topDown).toBe(0);
  });

  it('holds out each domain', async () => {
    const { domainHeldOut } = await evaluateAccess({ foldSteps: 40 });
    expect(domainHeldOut?.map((fold) => fold.domain)).toEqual([
      'preference',
      'safety_boundary',
      'tutoring',
      'workflow',
    ]);
    for (const fold of domainHeldOut ?? []) {
      expect(fold.pairs).toBeGreaterThan(0);
      expect(fold.learned.accuracy).not.toBeNull();
    }
  });
});
