import type { LedgerRecord, StreamEvent } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { renderConstraintPlots } from './constraint-plots.js';
import { applyEvents, createInspectorState } from './inspector-state.js';
import { ledgerFacets } from './ledger-facets.js';
import { renderNpcPanel } from './npc-panel.js';
import { renderRunReport } from './run-report.js';
import { renderVillageMap, UNPLACED_ZONE } from './village-map.js';

const HASH = 'a'.repeat(64);

function streamEvent(seq: number, kind: StreamEvent['kind'], agentId: string, payload: object) {
  return { seq, runId: 'run-1', tick: seq, agentId, kind, payload } as StreamEvent;
}

function ledgerRecord(seq: number, kind: LedgerRecord['kind'], payload: object): LedgerRecord {
  return {
    seq,
    kind,
    tick: seq,
    payload: payload as Record<string, unknown>,
    prevHash: HASH,
    hash: HASH,
  };
}

const events: StreamEvent[] = [
  streamEvent(1, 'world_event', 'ada', {
    event: { kind: 'player_utterance', agentId: 'ada', zone: 'homes', text: 'hi', playerId: 'p' },
  }),
  streamEvent(2, 'adjudication', 'ada', {
    adjudication: { candidateId: 'c1', subject: 'p', decision: 'defer', decidingLayer: 'L1' },
  }),
  streamEvent(3, 'adjudication', 'ada', {
    adjudication: { candidateId: 'c2', subject: 'p', decision: 'accept', decidingLayer: 'L2' },
  }),
  streamEvent(4, 'parametric_write', 'ada', {
    record: { agentId: 'ada', outcome: 'committed', rows: [{ rowId: 'r', after: -1, hard: true }] },
  }),
  streamEvent(5, 'parametric_write', 'ada', {
    record: {
      agentId: 'ada',
      outcome: 'rolled_back',
      rows: [{ rowId: 'r', after: 0.2, hard: true }],
    },
  }),
  streamEvent(6, 'proposal', '<b>bo</b>', { proposal: { action: { kind: 'speak' } } }),
];

describe('renderVillageMap', () => {
  it('draws each NPC in its zone', () => {
    const state = createInspectorState();
    applyEvents(state, events);
    const svg = renderVillageMap(state, 'ada');
    expect(svg).toMatch(/data-zone="homes">[\s\S]*data-agent="ada"/);
    expect(svg).toContain(`data-zone="${UNPLACED_ZONE}"`);
    expect(svg).toContain('data-agent="&lt;b&gt;bo&lt;/b&gt;"');
    expect(svg).not.toContain('<b>bo</b>');
  });
});

describe('renderNpcPanel', () => {
  it('lists the memory decisions newest first', () => {
    const state = createInspectorState();
    applyEvents(state, events);
    const html = renderNpcPanel(state.agents.get('ada'));
    expect(html.indexOf('accept')).toBeLessThan(html.indexOf('defer'));
    expect(html).toContain('No task proposal yet.');
  });

  it('asks for a selection without an agent', () => {
    expect(renderNpcPanel(undefined)).toContain('Select an NPC');
  });
});

describe('renderConstraintPlots', () => {
  it('draws C, λ and ρ with write markers', () => {
    const state = createInspectorState();
    applyEvents(state, events);
    const html = renderConstraintPlots(state, null);
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html.match(/marker-rollback/g)).toHaveLength(3);
    expect(renderConstraintPlots(state, 'nobody')).toBe('');
  });
});

describe('ledgerFacets', () => {
  it('finds agent and layer in nested payloads', () => {
    const record = ledgerRecord(1, 'adjudication', {
      adjudication: {
        agentId: 'ada',
        decidingLayer: 'L1',
        violationLayer: 'none',
        decision: 'defer',
      },
    });
    expect(ledgerFacets(record)).toEqual({ agentId: 'ada', layer: 'L1', summary: 'defer' });
  });

  it('falls back to the kind for an empty payload', () => {
    const facets = ledgerFacets(ledgerRecord(2, 'checkpoint', {}));
    expect(facets).toEqual({ agentId: null, layer: null, summary: 'checkpoint' });
  });
});

describe('renderRunReport', () => {
  const run = {
    runId: 'run-1',
    seed: 7,
    config: {},
    modelDigest: 'digest',
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: null,
  };
  const ledger = [
    ledgerRecord(1, 'run_started', { runId: 'run-1' }),
    ledgerRecord(2, 'parametric_rollback', {
      record: { agentId: 'ada', reason: 'row r violated' },
    }),
  ];

  it('writes summary, decisions, plots and rollbacks', () => {
    const verification = { ok: true, records: 2, firstBadSeq: null, reason: null, headHash: HASH };
    const html = renderRunReport({ run, events, ledger, verification });
    expect(html).toContain('verified, 2 records');
    expect(html).toMatch(/<td>L1<\/td><td>0<\/td><td>1<\/td><td>0<\/td>/);
    expect(html).toMatch(/<td>L2<\/td><td>1<\/td><td>0<\/td><td>0<\/td>/);
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).toContain('Rollbacks (1)');
    expect(html).toContain('row r violated');
    expect(html).not.toContain('<script');
  });

  it('reports a broken chain', () => {
    const verification = {
      ok: false,
      records: 2,
      firstBadSeq: 2,
      reason: 'hash mismatch',
      headHash: HASH,
    };
    const html = renderRunReport({ run, events: [], ledger, verification });
    expect(html).toContain('BROKEN at seq 2: hash mismatch');
    expect(html).toContain('No parametric writes in this run.');
  });
});
