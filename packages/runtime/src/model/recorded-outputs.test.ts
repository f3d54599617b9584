import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOutputs, encodeOutputs } from './recorded-outputs.js';

describe('recorded model outputs', () => {
  it('round-trip every float32 bit pattern exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noDefaultInfinity: false }), { maxLength: 64 }), (values) => {
        const outputs = { task: Float32Array.from(values) };
        const decoded = decodeOutputs(JSON.parse(JSON.stringify(encodeOutputs(outputs))));
        expect(Buffer.from(decoded['task']?.buffer ?? new ArrayBuffer(0))).toEqual(
          Buffer.from(outputs.task.buffer),
        );
      }),
    );
  });

  it('encode a view without its neighbours', () => {
    const batch = Float32Array.from([1, 2, 3, 4]);
    const decoded = decodeOutputs(encodeOutputs({ task: batch.subarray(1, 3) }));
    expect([...(decoded['task'] ?? [])]).toEqual([2, 3]);
  });

  it('reject a byte length that is not whole floats', () => {
    expect(() => decodeOutputs({ task: Buffer.from([1, 2, 3]).toString('base64') })).toThrow(
      /not whole float32/,
    );
  });
});
