import type { SeededRandom } from '@galt/core';

/** One stored example, with the logits recorded when it entered the buffer (used by DER++). */
export interface BufferItem {
  features: Float32Array;
  label: number;
  logits: Float32Array;
  /** Task during which the example was seen. */
  task: number;
  /** Insertion serial number, unique per buffer, used as a stable row id. */
  serial: number;
}

/**
 * Reservoir sampling (Vitter's algorithm R): after n examples every one of them is in the
 * buffer with probability capacity / n. The decisions depend only on the random generator and
 * the stream order, so every method with the same seed stores the same examples.
 */
export class ReservoirBuffer {
  readonly items: BufferItem[] = [];
  private seen = 0;
  private serial = 0;

  constructor(
    readonly capacity: number,
    private readonly random: SeededRandom,
  ) {}

  /** Offers one example; returns true when it was stored. */
  offer(features: Float32Array, label: number, logits: Float32Array, task: number): boolean {
    this.seen += 1;
    const item = { features, label, logits, task, serial: this.serial++ };
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return true;
    }
    const slot = this.random.nextInt(this.seen);
    if (slot >= this.capacity) return false;
    this.items[slot] = item;
    return true;
  }

  /** Draws `count` items uniformly with replacement (or all items if the buffer is smaller). */
  sample(count: number, random: SeededRandom): BufferItem[] {
    if (this.items.length <= count) return [...this.items];
    return Array.from({ length: count }, () => this.items[random.nextInt(this.items.length)]!);
  }
}
