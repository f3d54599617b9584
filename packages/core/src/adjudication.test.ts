import {
  AdjudicationRecordSchema,
  type LayerVerdict,
  type MemoryCandidate,
  SAFETY_LAYERS,
  type SafetyLayer,
  type SafetyVerdict,
} from '@galt/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjudicateCandidate,
  adjudicateValidated,
  CONSENT_RULE_ID,
  SELF_ORIGINATED_RULE_ID,
} from './adjudication.js';
import { GaltError } from './errors.js';
import { makeCandidate, passingVerdict } from './test-fixtures.js';

function verdictWith(layer: SafetyLayer, status: 'violate' | 'ambiguous'): SafetyVerdict {
  const verdict = passingVerdict();
  const index = SAFETY_LAYERS.indexOf(layer);
  verdict.layers[index] = { layer, status, ruleId: `rule.${layer}`, reason: 'because' };
  if (status === 'violate') {
    verdict.violationLayer = layer;
    verdict.blocked = layer === 'L0' || layer === 'L1';
  }
  return verdict;
}

describe('adjudicateCandidate', () => {
  it('accepts a clean candidate with gate 1 at its own layer', () => {
    const record = adjudicateCandidate(makeCandidate({ dependencyLayer: 'L2' }), passingVerdict(9));
    expect(AdjudicationRecordSchema.parse(record)).toEqual(record);
    expect(record).toMatchObject({
      decision: 'accept',
      gate: 1,
      decidingLayer: 'L2',
      dependencyLayer: 'L2',
      violationLayer: 'none',
      residual: 'none',
      reasons: [],
      tick: 9,
    });
  });

  it.each(['L0', 'L1'] as const)('rejects on an %s violation', (layer) => {
    const record = adjudicateCandidate(makeCandidate(), verdictWith(layer, 'violate'));
    expect(record.decision).toBe('reject');
    expect(record.gate).toBe(0);
    expect(record.residual).toBe('hard_violation');
    expect(record.decidingLayer).toBe(layer);
    expect(record.reasons).toEqual([`${layer} violate (rule.${layer}): because`]);
  });

  it.each(['L2', 'L3'] as const)('defers an %s violation as soft-rule debt', (layer) => {
    const record = adjudicateCandidate(makeCandidate(), verdictWith(layer, 'violate'));
    expect(record.decision).toBe('defer');
    expect(record.gate).toBe(0);
    expect(record.residual).toBe('soft_rule_debt');
    expect(record.decidingLayer).toBe(layer);
  });

  it('defers an ambiguous layer as boundary ambiguity', () => {
    const record = adjudicateCandidate(makeCandidate(), verdictWith('L1', 'ambiguous'));
    expect(record.decision).toBe('defer');
    expect(record.residual).toBe('boundary_ambiguity');
    expect(record.decidingLayer).toBe('L1');
    expect(record.violationLayer).toBe('none');
  });

  it('lets a violation outrank an ambiguity at a lower layer', () => {
    const verdict = verdictWith('L3', 'violate');
    verdict.layers[0] = { layer: 'L0', status: 'ambiguous', ruleId: 'r', reason: '?' };
    const record = adjudicateCandidate(makeCandidate(), verdict);
    expect(record.residual).toBe('soft_rule_debt');
    expect(record.decidingLayer).toBe('L3');
  });

  it('rejects self-originated content about a user', () => {
    const candidate = makeCandidate({ provenance: 'self_originated', consent: 'not_required' });
    const record = adjudicateCandidate(candidate, passingVerdict());
    expect(record.decision).toBe('reject');
    expect(record.residual).toBe('hard_violation');
    expect(record.decidingLayer).toBe('L1');
    expect(record.verdicts[1]).toMatchObject({ ruleId: SELF_ORIGINATED_RULE_ID });
    expect(record.reasons[0]).toContain('cannot become a user fact');
  });

  it('accepts self-originated content about the agent itself', () => {
    const candidate = makeCandidate({
      provenance: 'self_originated',
      subject: 'smith',
      consent: 'not_required',
    });
    expect(adjudicateCandidate(candidate, passingVerdict()).decision).toBe('accept');
  });

  it.each(['not_given', 'withdrawn'] as const)(
    'treats consent %s as an L1 violation',
    (consent) => {
      const record = adjudicateCandidate(makeCandidate({ consent }), passingVerdict());
      expect(record.decision).toBe('reject');
      expect(record.violationLayer).toBe('L1');
      expect(record.verdicts[1]).toMatchObject({ status: 'violate', ruleId: CONSENT_RULE_ID });
    },
  );

  it('does not require consent for world observations', () => {
    const candidate = makeCandidate({ provenance: 'world_observed', consent: 'not_given' });
    expect(adjudicateCandidate(candidate, passingVerdict()).decision).toBe('accept');
  });

  it('keeps every reason when screen and candidate both fail at L1', () => {
    const record = adjudicateCandidate(
      makeCandidate({ consent: 'withdrawn' }),
      verdictWith('L1', 'violate'),
    );
    expect(record.reasons).toHaveLength(2);
    expect(record.verdicts[1]).toMatchObject({ ruleId: 'rule.L1' });
  });

  it('keeps classifier proposals without letting them decide', () => {
    const proposed = { dependencyLayer: 'L0', violationLayer: 'L0', gate: 0 } as const;
    const record = adjudicateCandidate(makeCandidate(), passingVerdict(), { proposed, tick: 12 });
    expect(record.decision).toBe('accept');
    expect(record.proposed).toEqual(proposed);
    expect(record.tick).toBe(12);
  });

  it('rejects malformed input with paths', () => {
    const candidate = { ...makeCandidate(), importance: 2 };
    try {
      adjudicateCandidate(candidate, passingVerdict());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GaltError);
      expect((error as GaltError).issues?.[0]?.path).toEqual(['importance']);
    }
    const verdict = { ...passingVerdict(), layers: [] };
    expect(() => adjudicateCandidate(makeCandidate(), verdict)).toThrow(/invalid verdict/);
  });

  it('follows the decision table for any verdict', () => {
    const status = fc.constantFrom('pass', 'violate', 'ambiguous');
    fc.assert(
      fc.property(fc.tuple(status, status, status, status), (statuses) => {
        const verdict = passingVerdict();
        verdict.layers = SAFETY_LAYERS.map((layer, index): LayerVerdict => {
          const layerStatus = statuses[index];
          if (layerStatus === 'pass' || layerStatus === undefined) return { layer, status: 'pass' };
          return { layer, status: layerStatus, ruleId: `r${index}`, reason: 'r' };
        });
        const record = adjudicateCandidate(makeCandidate(), verdict);
        const firstViolation = statuses.indexOf('violate');
        const firstAmbiguity = statuses.indexOf('ambiguous');

        expect(AdjudicationRecordSchema.safeParse(record).success).toBe(true);
        if (firstViolation !== -1) {
          expect(record.decidingLayer).toBe(SAFETY_LAYERS[firstViolation]);
          expect(record.decision).toBe(firstViolation <= 1 ? 'reject' : 'defer');
        } else if (firstAmbiguity !== -1) {
          expect(record.residual).toBe('boundary_ambiguity');
        } else {
          expect(record.decision).toBe('accept');
        }
        expect(record.gate).toBe(record.decision === 'accept' ? 1 : 0);
      }),
    );
  });
});

describe('adjudicateValidated', () => {
  const layerStatus = fc.constantFrom('pass', 'violate', 'ambiguous');
  const candidateOverrides = fc.record({
    subject: fc.constantFrom('smith', 'player-1'),
    provenance: fc.constantFrom('user_sourced', 'self_originated', 'world_observed'),
    consent: fc.constantFrom('given', 'not_given', 'withdrawn', 'not_required'),
    dependencyLayer: fc.constantFrom(...SAFETY_LAYERS),
  });

  it('matches adjudicateCandidate on valid input', () => {
    fc.assert(
      fc.property(
        fc.tuple(layerStatus, layerStatus, layerStatus, layerStatus),
        candidateOverrides,
        (statuses, overrides) => {
          const verdict = passingVerdict(7);
          verdict.layers = SAFETY_LAYERS.map((layer, index): LayerVerdict => {
            const status = statuses[index];
            if (status === 'pass' || status === undefined) return { layer, status: 'pass' };
            return { layer, status, ruleId: `r${index}`, reason: 'r', target: 'window' };
          });
          const candidate = makeCandidate(overrides);
          const options = { tick: 9, proposed: { gate: 1 } };

          expect(adjudicateValidated(candidate, verdict, options)).toEqual(
            adjudicateCandidate(candidate, verdict, options),
          );
        },
      ),
    );
  });

  it('shares no object with its inputs', () => {
    const verdict = verdictWith('L2', 'violate');
    const record = adjudicateValidated(makeCandidate(), verdict);
    const layer = verdict.layers[2];
    if (layer === undefined || layer.status === 'pass')
      throw new Error('fixture has no L2 finding');
    layer.reason = 'changed later';
    expect(record.verdicts[2]).toMatchObject({ status: 'violate', reason: 'because' });
  });

  it('leaves adjudicateCandidate validating its input', () => {
    const candidate = { ...makeCandidate(), dependencyLayer: 'L7' } as unknown as MemoryCandidate;
    expect(() => adjudicateCandidate(candidate, passingVerdict())).toThrow(/invalid candidate/);
    const verdict = { ...passingVerdict(), tick: -1 };
    expect(() => adjudicateCandidate(makeCandidate(), verdict)).toThrow(/invalid verdict/);
  });
});
