import { type FeatureSlots, hashedNgramSlots } from '@galt/core';
import type { SparseFeatureRows } from './model/decision-model.js';

/**
 * Builds a tick's feature rows in sparse form (`SparseFeatureRows`) from the deciding agents'
 * texts. A text heard by many agents is hashed once per tick. The slot and value arrays grow to
 * the largest tick seen and are reused.
 */
export class SparseRowBuilder {
  readonly #dimension: number;
  #slots = new Int32Array(0);
  #values = new Float32Array(0);
  /** Slots of each text of the current tick; cleared after every build. */
  readonly #byText = new Map<string, FeatureSlots>();

  constructor(dimension: number) {
    this.#dimension = dimension;
  }

  build(texts: readonly string[]): SparseFeatureRows {
    const rows: FeatureSlots[] = [];
    let width = 1;
    for (const text of texts) {
      let encoded = this.#byText.get(text);
      if (encoded === undefined) {
        encoded = hashedNgramSlots(text, this.#dimension);
        this.#byText.set(text, encoded);
      }
      rows.push(encoded);
      width = Math.max(width, encoded.slots.length);
    }
    this.#byText.clear();
    const length = texts.length * width;
    if (this.#slots.length < length) {
      this.#slots = new Int32Array(length);
      this.#values = new Float32Array(length);
    }
    const slots = this.#slots.subarray(0, length);
    const values = this.#values.subarray(0, length);
    rows.forEach((row, index) => {
      const start = index * width;
      slots.set(row.slots, start);
      values.set(row.values, start);
      slots.fill(0, start + row.slots.length, start + width);
      values.fill(0, start + row.values.length, start + width);
    });
    return { width, slots, values };
  }
}
