/** URL path of the page's script bundle. */
export const INSPECTOR_SCRIPT_PATH = '/inspector.js';

/** Styles shared by the live page and the static report. */
export const INSPECTOR_STYLES = `
[hidden] { display: none !important; }
body { font: 14px system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { display: flex; gap: 1em; align-items: center; padding: 8px 16px; background: #263238;
  color: #fff; }
header h1 { font-size: 18px; margin: 0; }
#status { padding: 2px 8px; border-radius: 4px; background: #607d8b; }
#status[data-state="live"] { background: #2e7d32; }
#status[data-state="behind"], #status[data-state="replay"] { background: #ef6c00; }
#status[data-state="disconnected"], #status[data-state="rejected"] { background: #c62828; }
main { display: grid; grid-template-columns: minmax(420px, 1fr) minmax(420px, 1fr); gap: 12px;
  padding: 12px; }
section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px;
  overflow: auto; }
section h2 { font-size: 15px; margin: 4px 0 8px; }
#replay { grid-column: 1 / -1; display: flex; gap: 1em; align-items: center; }
#scrubber { flex: 1; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #eee; padding: 2px 6px; text-align: left; vertical-align: top; }
.violate, .reject, .bad { color: #c62828; font-weight: 600; }
.ambiguous, .defer { color: #ef6c00; }
.pass, .accept, .good { color: #2e7d32; }
#ledger-list { max-height: 360px; overflow: auto; font-family: ui-monospace, monospace;
  font-size: 12px; padding-left: 0; list-style: none; }
.plot { display: block; margin-bottom: 6px; }
.plot-title { font-size: 12px; font-weight: 600; }
.tick { font-size: 10px; fill: #555; }
.npc { cursor: pointer; }
form#token-form { padding: 24px; }
`;

/** Returns the HTML of the live inspector page, which contains no token. */
export function inspectorPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>galt inspector</title>
<style>${INSPECTOR_STYLES}</style>
</head>
<body>
<header>
  <h1>galt inspector</h1>
  <span id="status" data-state="connecting">connecting</span>
  <span id="run-label"></span>
</header>
<form id="token-form" hidden>
  <label>Run token <input id="token-input" type="password" autocomplete="off" required></label>
  <button type="submit">Connect</button>
  <p id="token-error" class="bad"></p>
</form>
<main id="views" hidden>
  <section id="map-view">
    <h2>Village map</h2>
    <div id="map"></div>
    <p class="legend">Green: acting. Orange: its last safety verdict found a violation that did not
      block. Red: its last turn was blocked. Grey: paused. Select an NPC to show its channels.</p>
  </section>
  <section id="npc-view">
    <h2>NPC <select id="npc-select" aria-label="NPC"></select></h2>
    <div id="npc-panel"></div>
  </section>
  <section id="ledger-view">
    <h2>Ledger <span id="chain-status">verifying…</span></h2>
    <div>
      <select id="ledger-kind" aria-label="kind"><option value="">all kinds</option></select>
      <input id="ledger-agent" placeholder="agent id" aria-label="agent">
      <select id="ledger-layer" aria-label="layer">
        <option value="">all layers</option><option>L0</option><option>L1</option>
        <option>L2</option><option>L3</option>
      </select>
      <button id="ledger-more" type="button">Load more</button>
    </div>
    <ol id="ledger-list"></ol>
  </section>
  <section id="plot-view"><h2>Updater constraints</h2><div id="plots"></div></section>
  <section id="replay">
    <label for="scrubber">Sequence</label>
    <input id="scrubber" type="range" min="0" max="0" value="0">
    <span id="scrub-label">live</span>
    <button id="live-button" type="button" disabled>Back to live</button>
  </section>
</main>
<script type="module" src="${INSPECTOR_SCRIPT_PATH}"></script>
</body>
</html>
`;
}
