/** A named line of (x, y) points. */
export interface PlotSeries {
  label: string;
  points: readonly { x: number; y: number }[];
}

/** A vertical mark at an x position, such as a commit or a rollback. */
export interface PlotMarker {
  x: number;
  kind: 'commit' | 'rollback';
}

/** Options of `renderLinePlot`. */
export interface LinePlotOptions {
  title: string;
  series: readonly PlotSeries[];
  markers?: readonly PlotMarker[];
  /** Lists the series labels with their colours to the right of the plot area. */
  legend?: boolean;
  /** Caption under the x axis, such as the unit of x. */
  xLabel?: string;
  /** Draws a dashed horizontal line at this y, such as the C = 0 boundary. */
  referenceY?: number;
  width?: number;
  height?: number;
}

const DEFAULT_WIDTH = 520;
const DEFAULT_HEIGHT = 200;
/** Room for tick labels left of and below the plot area, in SVG units. */
const MARGIN = { left: 56, right: 12, top: 24, bottom: 28 };
/** Radius of the dot drawn for a series with a single point. */
const POINT_RADIUS = 2.5;
/** Width added on the right for the legend's labels. */
const LEGEND_WIDTH = 120;
/** Vertical distance between legend rows. */
const LEGEND_ROW_HEIGHT = 14;
/** Series colours. A series beyond the palette reuses colours in order. */
const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

/** Escapes text for use inside SVG or HTML element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Returns [min, max] of the values, widened so that a flat line still gets a height. */
function extent(values: readonly number[]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!Number.isFinite(min)) return [0, 1];
  if (min === max) return [min - 1, max + 1];
  return [min, max];
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1000 || value === Math.trunc(value)
    ? String(Math.round(value))
    : value.toPrecision(3);
}

/**
 * Renders series as an SVG line plot in a string. The same markup is used by the live page and
 * by the static report, so it depends on no DOM.
 */
export function renderLinePlot(options: LinePlotOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const points = options.series.flatMap((series) => series.points);
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  if (options.referenceY !== undefined) ys.push(options.referenceY);
  const [xMin, xMax] = extent(xs);
  const [yMin, yMax] = extent(ys);
  const legendWidth = options.legend === true ? LEGEND_WIDTH : 0;
  const plotWidth = width - MARGIN.left - MARGIN.right - legendWidth;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const plotRight = MARGIN.left + plotWidth;
  const scaleX = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotWidth;
  const scaleY = (y: number) => MARGIN.top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" viewBox="0 0 ${width} ${height}" ` +
      `width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}" ` +
      'font-family="sans-serif" font-size="10">',
    `<text x="${MARGIN.left}" y="14" class="plot-title" font-size="12" font-weight="600">${escapeXml(options.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" ` +
      'fill="none" stroke="#999"/>',
    axisLabels(xMin, xMax, yMin, yMax, plotRight, height),
  ];
  if (options.xLabel !== undefined) {
    parts.push(
      `<text x="${MARGIN.left + plotWidth / 2}" y="${height - 6}" text-anchor="middle" ` +
        `class="tick">${escapeXml(options.xLabel)}</text>`,
    );
  }
  if (options.referenceY !== undefined) {
    const y = scaleY(options.referenceY).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${plotRight}" y1="${y}" y2="${y}" ` +
        'stroke="#555" stroke-dasharray="4 3"/>',
    );
  }
  for (const marker of options.markers ?? []) {
    const x = scaleX(marker.x).toFixed(1);
    const colour = marker.kind === 'rollback' ? '#d62728' : '#2ca02c';
    parts.push(
      `<line class="marker-${marker.kind}" x1="${x}" x2="${x}" y1="${MARGIN.top}" ` +
        `y2="${height - MARGIN.bottom}" stroke="${colour}" stroke-opacity="0.35"/>`,
    );
  }
  options.series.forEach((series, index) => {
    const colour = seriesColour(index);
    const path = series.points
      .map((point) => `${scaleX(point.x).toFixed(1)},${scaleY(point.y).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline class="series" fill="none" stroke="${colour}" stroke-width="1.5" ` +
        `points="${path}"><title>${escapeXml(series.label)}</title></polyline>`,
    );
    // A line through one point has no length, so a lone point gets a dot.
    const [only] = series.points;
    if (series.points.length === 1 && only !== undefined) {
      parts.push(
        `<circle class="point" cx="${scaleX(only.x).toFixed(1)}" cy="${scaleY(only.y).toFixed(1)}" ` +
          `r="${POINT_RADIUS}" fill="${colour}"/>`,
      );
    }
  });
  if (options.legend === true) {
    parts.push(legendMarkup(options.series, MARGIN.left + plotWidth + 10));
  }
  parts.push('</svg>');
  return parts.join('');
}

function seriesColour(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#000';
}

function legendMarkup(series: readonly PlotSeries[], x: number): string {
  return series
    .map((item, index) => {
      const y = MARGIN.top + 8 + index * LEGEND_ROW_HEIGHT;
      return (
        `<line x1="${x}" x2="${x + 14}" y1="${y - 4}" y2="${y - 4}" stroke="${seriesColour(index)}" ` +
        `stroke-width="2"/><text x="${x + 18}" y="${y}" class="legend">${escapeXml(item.label)}</text>`
      );
    })
    .join('');
}

function axisLabels(
  xMin: number,
  xMax: number,
  yMin: number,
  yMax: number,
  plotRight: number,
  height: number,
): string {
  const bottom = height - MARGIN.bottom;
  return [
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + 10}" text-anchor="end" class="tick">` +
      `${formatNumber(yMax)}</text>`,
    `<text x="${MARGIN.left - 4}" y="${bottom}" text-anchor="end" class="tick">` +
      `${formatNumber(yMin)}</text>`,
    `<text x="${MARGIN.left}" y="${bottom + 16}" class="tick">${formatNumber(xMin)}</text>`,
    `<text x="${plotRight}" y="${bottom + 16}" text-anchor="end" class="tick">` +
      `${formatNumber(xMax)}</text>`,
  ].join('');
}
