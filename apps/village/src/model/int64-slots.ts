import { endianness } from 'node:os';
import type { TensorValue } from '@galt/onnx';

/** Index of the low 32-bit word of an int64 in an Int32Array view, by host byte order. */
const LOW_WORD = endianness() === 'LE' ? 0 : 1;

/**
 * Widens int32 slot indices to the int64 tensor ONNX `Gather` reads, through a 32-bit view of a
 * reused buffer, so no BigInt is made per slot.
 */
export class Int64Slots {
  #data = new BigInt64Array(0);
  #words = new Int32Array(0);

  /** Returns `slots` as an int64 tensor of shape `dims`, valid until the next call. */
  tensor(slots: Int32Array, dims: readonly number[]): TensorValue {
    if (this.#data.length < slots.length) {
      this.#data = new BigInt64Array(slots.length);
      this.#words = new Int32Array(this.#data.buffer);
    }
    const words = this.#words;
    for (let index = 0; index < slots.length; index += 1) {
      words[2 * index + LOW_WORD] = slots[index] ?? 0;
      words[2 * index + 1 - LOW_WORD] = 0;
    }
    return { type: 'int64', dims, data: this.#data.subarray(0, slots.length) };
  }
}
