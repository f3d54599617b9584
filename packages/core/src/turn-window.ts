import { type WorldEvent, WorldEventSchema } from '@galt/protocol';
import { z } from 'zod';
import { GaltError } from './errors.js';
import { parseSnapshot } from './snapshot-parse.js';

/** One input of a turn: an utterance or other world event with its text form. */
export interface TurnInput {
  id: string;
  text: string;
  event?: WorldEvent;
}

const TurnEntrySchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  event: WorldEventSchema.optional(),
  screened: z.boolean(),
});

/** Serialisable state of a `TurnWindow`. */
export const TurnWindowStateSchema = z.object({
  maxInputs: z.number().int().positive(),
  entries: z.array(TurnEntrySchema),
});
export type TurnWindowState = z.infer<typeof TurnWindowStateSchema>;

type TurnEntry = z.infer<typeof TurnEntrySchema>;

/** Separator between inputs in `windowText`, so words of adjacent inputs never merge. */
const INPUT_SEPARATOR = '\n';

/**
 * Recent inputs of one agent's conversation, with which of them the safety stack has screened.
 *
 * At most `maxInputs` screened inputs are kept, oldest evicted first. Unscreened inputs are never
 * evicted, because every input must be screened once, so the window may hold more than
 * `maxInputs` inputs until the next `markScreened`.
 */
export class TurnWindow {
  #maxInputs: number;
  #entries: TurnEntry[] = [];
  /** `windowText()` result, or null after any change to the entries. */
  #text: string | null = null;

  constructor(maxInputs: number) {
    this.#maxInputs = checkMaxInputs(maxInputs);
  }

  /** Appends an unscreened input. Throws `invalid_input` when its id is already in the window. */
  push(input: TurnInput): void {
    if (typeof input.id !== 'string' || input.id.length === 0) {
      throw new GaltError('invalid_input', 'TurnWindow.push: input id is missing', {
        remedy: 'Give each input a non-empty id, such as its event sequence number',
      });
    }
    if (this.#has(input.id)) {
      throw new GaltError(
        'invalid_input',
        `TurnWindow.push: input '${input.id}' is already in the window`,
        {
          remedy: 'Give each input a unique id',
        },
      );
    }
    const entry: TurnEntry = { id: input.id, text: String(input.text), screened: false };
    if (input.event !== undefined) entry.event = input.event;
    this.#entries.push(entry);
    this.#text = null;
    this.#evictScreened();
  }

  /**
   * Removes the inputs with the given ids, screened or not, and returns the ids it removed in
   * window order. Ids not in the window are ignored.
   */
  remove(ids: Iterable<string>): string[] {
    const selected = new Set(ids);
    const removed: string[] = [];
    this.#entries = this.#entries.filter((entry) => {
      if (!selected.has(entry.id)) return true;
      removed.push(entry.id);
      return false;
    });
    if (removed.length > 0) this.#text = null;
    return removed;
  }

  /** Returns every input in the window, oldest first. */
  inputs(): readonly TurnInput[] {
    return this.#entries.map(toInput);
  }

  /** Returns the inputs not yet screened, oldest first. */
  unscreened(): readonly TurnInput[] {
    const inputs: TurnInput[] = [];
    for (const entry of this.#entries) if (!entry.screened) inputs.push(toInput(entry));
    return inputs;
  }

  /**
   * Calls `visit` with each input not yet screened, oldest first, without copying it. The input
   * is the window's own record: read it during the call and do not change it.
   */
  forEachUnscreened(
    visit: (input: {
      readonly id: string;
      readonly text: string;
      readonly event?: WorldEvent | undefined;
    }) => void,
  ): void {
    for (const entry of this.#entries) if (!entry.screened) visit(entry);
  }

  /**
   * Returns the text of every input in the window, oldest first, one per line. The text is cached
   * until the window's inputs change.
   */
  windowText(): string {
    this.#text ??= this.#entries.map((entry) => entry.text).join(INPUT_SEPARATOR);
    return this.#text;
  }

  /** Marks the given inputs (all inputs when `ids` is absent) as screened. */
  markScreened(ids?: readonly string[]): void {
    for (const entry of this.#entries) {
      if (ids === undefined || ids.includes(entry.id)) entry.screened = true;
    }
    this.#evictScreened();
  }

  snapshot(): TurnWindowState {
    return { maxInputs: this.#maxInputs, entries: this.#entries.map((entry) => ({ ...entry })) };
  }

  /** Replaces this window's contents with a snapshot's. */
  restore(state: unknown): void {
    const parsed = parseSnapshot(TurnWindowStateSchema, state, 'TurnWindow.restore');
    this.#maxInputs = parsed.maxInputs;
    this.#entries = parsed.entries;
    this.#text = null;
    this.#evictScreened();
  }

  #has(id: string): boolean {
    for (const entry of this.#entries) if (entry.id === id) return true;
    return false;
  }

  #evictScreened(): void {
    let excess = this.#entries.length - this.#maxInputs;
    if (excess <= 0) return;
    this.#text = null;
    // Compacts in place, so the common eviction of one input per turn allocates nothing.
    let keptCount = 0;
    for (const entry of this.#entries) {
      if (excess > 0 && entry.screened) {
        excess -= 1;
        continue;
      }
      this.#entries[keptCount] = entry;
      keptCount += 1;
    }
    this.#entries.length = keptCount;
  }
}

function toInput(entry: TurnEntry): TurnInput {
  const input: TurnInput = { id: entry.id, text: entry.text };
  if (entry.event !== undefined) input.event = entry.event;
  return input;
}

function checkMaxInputs(maxInputs: number): number {
  if (!Number.isSafeInteger(maxInputs) || maxInputs < 1) {
    throw new GaltError('invalid_config', `TurnWindow: maxInputs ${maxInputs} is invalid`, {
      remedy: 'Pass a positive integer window size',
    });
  }
  return maxInputs;
}
