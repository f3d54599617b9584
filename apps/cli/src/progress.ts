import type { TextOutput } from './io.js';

/** Minimum time between redraws of the terminal line, so redrawing costs nothing measurable. */
const TTY_REDRAW_INTERVAL_MS = 100;
/** Time between printed lines when the output is a file or pipe, to keep logs short. */
const LOG_LINE_INTERVAL_MS = 2_000;
/** ANSI "erase to end of line", so a shorter line fully replaces a longer one. */
const ERASE_LINE_END = '\x1b[K';

/** Options for {@link ProgressDisplay}. */
export interface ProgressOptions {
  readonly output: TextOutput;
  /** Wall-clock milliseconds. */
  readonly now: () => number;
  /** Name of the counted unit, such as `tick`. */
  readonly label: string;
  /** Units expected in all, or null when open-ended (the line then shows no percentage). */
  readonly total: number | null;
  /** Prints nothing at all when false (for `--json` runs without a terminal). */
  readonly enabled?: boolean;
}

/**
 * Shows progress as one updating line on a terminal, or as a line every two seconds (and at the
 * end) on a pipe or file.
 */
export class ProgressDisplay {
  private readonly options: ProgressOptions;
  private readonly startedAt: number;
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private drawnOnTerminal = false;
  private finished = false;

  constructor(options: ProgressOptions) {
    this.options = options;
    this.startedAt = options.now();
  }

  /** Records that `done` units are complete; `details` are appended as `key=value` pairs. */
  update(done: number, details: Readonly<Record<string, string | number>> = {}): void {
    if (this.finished || this.options.enabled === false) return;
    const now = this.options.now();
    const interval = this.options.output.isTTY ? TTY_REDRAW_INTERVAL_MS : LOG_LINE_INTERVAL_MS;
    const final = this.options.total !== null && done >= this.options.total;
    if (!final && now - this.lastDrawAt < interval) return;
    this.lastDrawAt = now;
    this.draw(this.formatLine(done, now, details));
  }

  /** Ends the display: on a terminal the line is kept and the cursor moves to a new line. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.drawnOnTerminal) this.options.output.write('\n');
  }

  /** Formats one progress line; public so its layout can be tested without a terminal. */
  formatLine(done: number, now: number, details: Readonly<Record<string, string | number>>) {
    const { label, total } = this.options;
    const seconds = `${((now - this.startedAt) / 1000).toFixed(1)}s`;
    const extra = Object.entries(details).map(([key, value]) => `${key}=${value}`);
    if (total === null) return [`${label} ${done}`, seconds, ...extra].join('  ');
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    return [`${label} ${done}/${total}`, `${percent}%`, seconds, ...extra].join('  ');
  }

  private draw(line: string): void {
    if (this.options.output.isTTY) {
      this.options.output.write(`\r${line}${ERASE_LINE_END}`);
      this.drawnOnTerminal = true;
    } else {
      this.options.output.write(`${line}\n`);
    }
  }
}
