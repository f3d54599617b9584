import type { ConstraintPoint, InspectorState, WriteOutcome } from './inspector-state.js';
import { type PlotMarker, type PlotSeries, renderLinePlot } from './svg-plot.js';

/** Maximum rows drawn per plot, because more lines turn into an unreadable tangle. */
export const MAX_PLOTTED_ROWS = 6;

/** Returns the commit and rollback markers of the writes, keyed by event sequence number. */
export function writeMarkers(writes: readonly WriteOutcome[]): PlotMarker[] {
  const markers: PlotMarker[] = [];
  for (const write of writes) {
    if (write.outcome === 'committed') markers.push({ x: write.seq, kind: 'commit' });
    else if (write.outcome === 'rolled_back') markers.push({ x: write.seq, kind: 'rollback' });
  }
  return markers;
}

/** Picks the rows to plot: hard rows first, then the rows with the most points. */
function pickRows(constraints: ReadonlyMap<string, ConstraintPoint[]>, agentId: string | null) {
  const rows: [string, ConstraintPoint[]][] = [];
  for (const [rowId, points] of constraints) {
    const shown = agentId === null ? points : points.filter((point) => point.agentId === agentId);
    if (shown.length > 0) rows.push([rowId, shown]);
  }
  rows.sort(([, a], [, b]) => {
    const hardOrder = Number(b[0]?.hard ?? false) - Number(a[0]?.hard ?? false);
    return hardOrder !== 0 ? hardOrder : b.length - a.length;
  });
  return rows.slice(0, MAX_PLOTTED_ROWS);
}

function seriesOf(
  rows: readonly [string, ConstraintPoint[]][],
  field: 'value' | 'lambda' | 'rho',
): PlotSeries[] {
  return rows.map(([rowId, points]) => ({
    label: rowId,
    points: points.map((point) => ({ x: point.seq, y: point[field] })),
  }));
}

/**
 * Renders the updater's constraint rows over event sequence numbers as three SVG plots: C after
 * each step (C ≤ 0 holds), the multiplier λ and the penalty ρ, with commits and rollbacks marked.
 * Returns an empty string when no parametric write has been seen.
 */
export function renderConstraintPlots(state: InspectorState, agentId: string | null): string {
  const rows = pickRows(state.constraints, agentId);
  if (rows.length === 0) return '';
  const writes =
    agentId === null ? state.writes : state.writes.filter((write) => write.agentId === agentId);
  const markers = writeMarkers(writes);
  const scope = agentId === null ? 'all agents' : agentId;
  const xLabel = 'event sequence number';
  return [
    renderLinePlot({
      title: `C per row (${scope}; C ≤ 0 holds)`,
      series: seriesOf(rows, 'value'),
      markers,
      referenceY: 0,
      xLabel,
    }),
    renderLinePlot({
      title: `λ per row (${scope})`,
      series: seriesOf(rows, 'lambda'),
      markers,
      xLabel,
    }),
    renderLinePlot({
      title: `ρ per row (${scope})`,
      series: seriesOf(rows, 'rho'),
      markers,
      xLabel,
    }),
  ].join('');
}
