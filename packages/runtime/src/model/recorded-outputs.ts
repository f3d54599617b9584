import type { HeadOutputs } from './decision-model.js';

/** Head outputs as stored in an event payload: little-endian float32 bytes in base64. */
export type EncodedOutputs = Record<string, string>;

/** Encodes head outputs losslessly for the event stream. */
export function encodeOutputs(outputs: HeadOutputs): EncodedOutputs {
  const encoded: EncodedOutputs = {};
  for (const head of Object.keys(outputs).sort()) {
    const values = outputs[head];
    if (values === undefined) continue;
    encoded[head] = Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString(
      'base64',
    );
  }
  return encoded;
}

/** Decodes outputs written by `encodeOutputs`; throws a RangeError on a length that is not whole floats. */
export function decodeOutputs(encoded: EncodedOutputs): HeadOutputs {
  const outputs: HeadOutputs = {};
  for (const [head, text] of Object.entries(encoded)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.byteLength % Float32Array.BYTES_PER_ELEMENT !== 0) {
      throw new RangeError(
        `recorded output of head '${head}' has ${bytes.byteLength} bytes, not whole float32 values`,
      );
    }
    const values = new Float32Array(bytes.byteLength / Float32Array.BYTES_PER_ELEMENT);
    new Uint8Array(values.buffer).set(bytes);
    outputs[head] = values;
  }
  return outputs;
}
