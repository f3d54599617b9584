export { applyChannelEvent, MAX_CHANNEL_ITEMS } from './channel-events.js';
export { MAX_PLOTTED_ROWS, renderConstraintPlots, writeMarkers } from './constraint-plots.js';
export { type HeatMapOptions, heatColour, renderHeatMap } from './heat-map.js';
export {
  INSPECTOR_BUNDLE_FILE,
  type InspectorAsset,
  loadInspectorAssets,
} from './inspector-assets.js';
export {
  type AgentPanel,
  agentPanel,
  applyEvents,
  applySnapshot,
  type CandidateDecision,
  type ConstraintPoint,
  createInspectorState,
  type InspectorState,
  type LayerVerdict,
  MAX_POINTS_PER_ROW,
  MAX_WRITES_KEPT,
  type ToolCallView,
  type WriteOutcome,
} from './inspector-state.js';
export { type LedgerFacets, ledgerFacets } from './ledger-facets.js';
export { renderNpcPanel } from './npc-panel.js';
export { INSPECTOR_SCRIPT_PATH, INSPECTOR_STYLES, inspectorPageHtml } from './page-html.js';
export { type RunReportInput, renderRunReport } from './run-report.js';
export {
  escapeXml,
  type LinePlotOptions,
  type PlotMarker,
  type PlotSeries,
  renderLinePlot,
} from './svg-plot.js';
export { KNOWN_ZONES, renderVillageMap, UNPLACED_ZONE } from './village-map.js';
