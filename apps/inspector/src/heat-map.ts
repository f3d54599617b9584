import { escapeXml } from './svg-plot.js';

/** Options of `renderHeatMap`. */
export interface HeatMapOptions {
  title: string;
  /** Rows of cells, each value in [0, 1]. Rows may differ in length, and a missing cell is blank. */
  matrix: readonly (readonly number[])[];
  /** Label of each row, drawn left of it. */
  rowLabels?: readonly string[];
  /** Label of each column, drawn under it. */
  columnLabels?: readonly string[];
  /** Caption under the column labels, such as "tested on task". */
  columnTitle?: string;
}

/** Side of one cell, in SVG units. */
const CELL_SIZE = 44;
/** Estimated width of one title character at font size 12, which keeps the title inside the SVG. */
const TITLE_CHAR_WIDTH = 7;
/** Room for the title above the cells, the row labels on the left and the column labels below. */
const MARGIN = { left: 78, right: 12, top: 26, bottom: 36 };

/**
 * Maps a value in [0, 1] to a colour from white (0) to dark blue (1). Values outside the range
 * are clamped, and NaN is drawn as 0.
 */
export function heatColour(value: number): string {
  const clamped = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
  const channel = (from: number, to: number) => Math.round(from + (to - from) * clamped);
  return `rgb(${channel(255, 8)},${channel(255, 48)},${channel(255, 107)})`;
}

/**
 * Renders a matrix of values in [0, 1] as an SVG heat map in a string, each cell labelled with
 * its value in percent. Like `renderLinePlot`, it depends on no DOM.
 */
export function renderHeatMap(options: HeatMapOptions): string {
  const rows = options.matrix.length;
  const columns = Math.max(0, ...options.matrix.map((row) => row.length));
  const cellsWidth = MARGIN.left + columns * CELL_SIZE + MARGIN.right;
  const titleWidth = MARGIN.left + options.title.length * TITLE_CHAR_WIDTH + MARGIN.right;
  const width = Math.max(cellsWidth, titleWidth);
  const height = MARGIN.top + rows * CELL_SIZE + MARGIN.bottom;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="heat-map" viewBox="0 0 ${width} ${height}" ` +
      `width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}" ` +
      'font-family="sans-serif" font-size="10">',
    `<text x="${MARGIN.left}" y="14" class="plot-title" font-size="12" font-weight="600">` +
      `${escapeXml(options.title)}</text>`,
  ];
  options.matrix.forEach((row, rowIndex) => {
    const y = MARGIN.top + rowIndex * CELL_SIZE;
    const label = options.rowLabels?.[rowIndex] ?? String(rowIndex + 1);
    parts.push(
      `<text x="${MARGIN.left - 4}" y="${y + CELL_SIZE / 2 + 3}" text-anchor="end" class="tick">` +
        `${escapeXml(label)}</text>`,
    );
    row.forEach((value, columnIndex) => {
      parts.push(cellMarkup(MARGIN.left + columnIndex * CELL_SIZE, y, value));
    });
  });
  const bottom = MARGIN.top + rows * CELL_SIZE;
  for (let column = 0; column < columns; column += 1) {
    const label = options.columnLabels?.[column] ?? String(column + 1);
    parts.push(
      `<text x="${MARGIN.left + column * CELL_SIZE + CELL_SIZE / 2}" y="${bottom + 12}" ` +
        `text-anchor="middle" class="tick">${escapeXml(label)}</text>`,
    );
  }
  if (options.columnTitle !== undefined) {
    parts.push(
      `<text x="${MARGIN.left + (columns * CELL_SIZE) / 2}" y="${bottom + 28}" ` +
        `text-anchor="middle" class="tick">${escapeXml(options.columnTitle)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

function cellMarkup(x: number, y: number, value: number): string {
  // Dark cells get white text so that the percentage stays readable.
  const textColour = value > 0.55 ? '#fff' : '#000';
  const percent = Number.isFinite(value) ? (100 * value).toFixed(0) : '–';
  return (
    `<rect class="cell" x="${x}" y="${y}" width="${CELL_SIZE}" height="${CELL_SIZE}" ` +
    `fill="${heatColour(value)}" stroke="#fff"><title>${percent}%</title></rect>` +
    `<text x="${x + CELL_SIZE / 2}" y="${y + CELL_SIZE / 2 + 3}" text-anchor="middle" ` +
    `fill="${textColour}">${percent}</text>`
  );
}
