import type { CliIo } from '../io.js';
import { formatTable, type TableColumn } from '../table.js';

/** Prints benchmark or evaluation rows: a table, or one JSON object `{name, rows}` with `json`. */
export function printRows(
  io: CliIo,
  name: string,
  rows: readonly object[],
  json: boolean,
  columns?: readonly TableColumn[],
): void {
  if (json) {
    io.stdout.write(`${JSON.stringify({ name, rows })}\n`);
    return;
  }
  io.stdout.write(formatTable(rows as Record<string, unknown>[], columns));
}

/** Prints a note on stderr, so stdout stays machine-readable with `--json`. */
export function note(io: CliIo, text: string): void {
  io.stderr.write(`${text}\n`);
}
