/** One column of a printed table. */
export interface TableColumn {
  readonly key: string;
  readonly header?: string;
  /** Digits after the decimal point for non-integer numbers; 3 unless set. */
  readonly fractionDigits?: number;
}

const DEFAULT_FRACTION_DIGITS = 3;
const COLUMN_GAP = '  ';

/** Formats one cell: integers as they are, other numbers rounded, objects as compact JSON. */
export function formatCell(value: unknown, fractionDigits = DEFAULT_FRACTION_DIGITS): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) ? String(value) : value.toFixed(fractionDigits);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * Formats rows as a plain-text table with a header and a rule. Numeric columns are right-aligned.
 * Without `columns`, the columns are the keys of all rows in first-seen order.
 */
export function formatTable(
  rows: readonly Record<string, unknown>[],
  columns: readonly TableColumn[] = inferColumns(rows),
): string {
  if (rows.length === 0 || columns.length === 0) return '(no rows)\n';
  const headers = columns.map((column) => column.header ?? column.key);
  // A column with any fraction shows every number with the same digits, so the points line up.
  const fractional = columns.map((column) =>
    rows.some((row) => typeof row[column.key] === 'number' && !Number.isInteger(row[column.key])),
  );
  const cells = rows.map((row) =>
    columns.map((column, index) => {
      const value = row[column.key];
      if (fractional[index] === true && typeof value === 'number' && Number.isFinite(value)) {
        return value.toFixed(column.fractionDigits ?? DEFAULT_FRACTION_DIGITS);
      }
      return formatCell(value, column.fractionDigits);
    }),
  );
  const numeric = columns.map((column) =>
    rows.every((row) => row[column.key] == null || typeof row[column.key] === 'number'),
  );
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...cells.map((line) => (line[index] ?? '').length)),
  );

  const pad = (text: string, index: number): string => {
    const width = widths[index] ?? text.length;
    return numeric[index] === true ? text.padStart(width) : text.padEnd(width);
  };
  const lines = [
    headers.map(pad).join(COLUMN_GAP),
    widths.map((width) => '-'.repeat(width)).join(COLUMN_GAP),
    ...cells.map((line) => line.map(pad).join(COLUMN_GAP)),
  ];
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

function inferColumns(rows: readonly Record<string, unknown>[]): TableColumn[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys].map((key) => ({ key }));
}

/** Flattens nested plain objects into dotted keys: `{memory: {accepted: 3}}` → `memory.accepted`. */
export function flattenObject(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      entries.push(...flattenObject(inner as Record<string, unknown>, path));
    } else {
      entries.push([path, inner]);
    }
  }
  return entries;
}

/** Formats a (possibly nested) summary object as a two-column `field  value` table. */
export function formatSummary(summary: Record<string, unknown>): string {
  const rows = flattenObject(summary).map(([field, value]) => ({
    field,
    value: formatCell(value),
  }));
  return formatTable(rows, [{ key: 'field' }, { key: 'value' }]);
}
