import { z } from 'zod';
import { GaltError } from './errors.js';
import { parseSnapshot } from './snapshot-parse.js';

/** Serialisable state of a `TickClock`. */
export const TickClockStateSchema = z.object({ tick: z.number().int().nonnegative() });
export type TickClockState = z.infer<typeof TickClockStateSchema>;

/** Injected world clock in whole ticks, which logic reads instead of wall-clock time. */
export class TickClock {
  #tick: number;

  constructor(start = 0) {
    this.#tick = checkTickCount(start, 'TickClock: start tick');
  }

  /** Current tick. */
  get tick(): number {
    return this.#tick;
  }

  /** Moves the clock forward by `by` ticks (default 1) and returns the new tick. */
  advance(by = 1): number {
    this.#tick += checkTickCount(by, 'TickClock.advance: step');
    return this.#tick;
  }

  snapshot(): TickClockState {
    return { tick: this.#tick };
  }

  /** Rebuilds a clock at the snapshot's tick. */
  static restore(state: unknown): TickClock {
    return new TickClock(parseSnapshot(TickClockStateSchema, state, 'TickClock.restore').tick);
  }
}

function checkTickCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new GaltError('invalid_input', `${what} ${value} is invalid`, {
      remedy: 'Pass a non-negative integer number of ticks',
    });
  }
  return value;
}
