import type { ChainVerification, LedgerRecord, RunInfo, StreamEvent } from '@galt/protocol';
import { renderConstraintPlots } from './constraint-plots.js';
import { applyEvents, createInspectorState } from './inspector-state.js';
import { ledgerFacets } from './ledger-facets.js';
import { INSPECTOR_STYLES } from './page-html.js';
import { asObject, stringField } from './payload-fields.js';
import { escapeXml } from './svg-plot.js';

/** Input of `renderRunReport`: the run, its events, its ledger records and the chain check. */
export interface RunReportInput {
  run: RunInfo;
  events: readonly StreamEvent[];
  ledger: readonly LedgerRecord[];
  verification: ChainVerification;
}

/** Memory decisions counted per deciding layer, in this column order. */
const DECISIONS = ['accept', 'defer', 'reject'] as const;

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((header) => `<th>${escapeXml(header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((value) => `<td>${escapeXml(value)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><tr>${head}</tr>${body}</table>`;
}

function countKinds(ledger: readonly LedgerRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of ledger) counts.set(record.kind, (counts.get(record.kind) ?? 0) + 1);
  return counts;
}

function summarySection(input: RunReportInput): string {
  const { run, verification, events } = input;
  const lastTick = events.reduce((max, event) => Math.max(max, event.tick), 0);
  const chain = verification.ok
    ? `verified, ${verification.records} records`
    : `BROKEN at seq ${verification.firstBadSeq}: ${verification.reason ?? 'hash mismatch'}`;
  const rows = [
    ['run', run.runId],
    ['seed', String(run.seed)],
    ['model digest', run.modelDigest],
    ['started', run.startedAt],
    ['ended', run.endedAt ?? 'not ended'],
    ['events', String(events.length)],
    ['last tick', String(lastTick)],
    ['ledger chain', chain],
  ];
  const kinds = [...countKinds(input.ledger)].map(([kind, count]) => [kind, String(count)]);
  return (
    `<section id="summary"><h2>Summary</h2>${table(['field', 'value'], rows)}` +
    `<h3>Ledger records by kind</h3>${table(['kind', 'records'], kinds)}</section>`
  );
}

function decisionsSection(events: readonly StreamEvent[]): string {
  const byLayer = new Map<string, Map<string, number>>();
  for (const event of events) {
    if (event.kind !== 'adjudication') continue;
    const record = asObject(event.payload.adjudication);
    const layer = stringField(record, 'decidingLayer') ?? 'unknown';
    const decision = stringField(record, 'decision') ?? 'unknown';
    const counts = byLayer.get(layer) ?? new Map<string, number>();
    counts.set(decision, (counts.get(decision) ?? 0) + 1);
    byLayer.set(layer, counts);
  }
  const rows = [...byLayer.keys()]
    .sort()
    .map((layer) => [
      layer,
      ...DECISIONS.map((name) => String(byLayer.get(layer)?.get(name) ?? 0)),
    ]);
  return (
    '<section id="decisions"><h2>Memory decisions by deciding layer</h2>' +
    `${table(['layer', ...DECISIONS], rows)}</section>`
  );
}

function rollbacksSection(ledger: readonly LedgerRecord[]): string {
  const rows = ledger
    .filter((record) => record.kind === 'parametric_rollback')
    .map((record) => {
      const facets = ledgerFacets(record);
      return [String(record.seq), String(record.tick), facets.agentId ?? '', facets.summary];
    });
  const body =
    rows.length === 0 ? '<p>No rollbacks.</p>' : table(['seq', 'tick', 'agent', 'reason'], rows);
  return `<section id="rollbacks"><h2>Rollbacks (${rows.length})</h2>${body}</section>`;
}

/**
 * Renders a self-contained HTML report of a run: summary, memory decisions by layer, the
 * updater's constraint plots and the rollbacks. It loads no script and no external file.
 */
export function renderRunReport(input: RunReportInput): string {
  const state = createInspectorState();
  applyEvents(state, input.events);
  const plots = renderConstraintPlots(state, null) || '<p>No parametric writes in this run.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>galt run report: ${escapeXml(input.run.runId)}</title>
<style>${INSPECTOR_STYLES} main { display: block; }</style>
</head>
<body>
<header><h1>galt run report: ${escapeXml(input.run.runId)}</h1></header>
<main>
${summarySection(input)}
${decisionsSection(input.events)}
<section id="constraints"><h2>Updater constraints</h2>${plots}</section>
${rollbacksSection(input.ledger)}
</main>
</body>
</html>
`;
}
