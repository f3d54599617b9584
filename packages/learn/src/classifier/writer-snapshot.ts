import { GaltError } from '@galt/core';
import { z } from 'zod';

/** State of a `ClassifierMemoryWriter` beyond the model's parameters. */
export interface WriterState {
  anchors: Map<string, number>;
  writeCount: number;
  updater: Uint8Array;
}

const MAGIC = 'GALTMW01';
const HEADER_OFFSET = MAGIC.length + 4;
const HeaderSchema = z.object({
  writeCount: z.number().int().nonnegative(),
  anchorIds: z.array(z.string()),
});

/** Encodes: magic, u32 header length, JSON header, padding, float64 anchors, updater bytes. */
export function encodeWriterState(state: WriterState): Uint8Array {
  const ids = [...state.anchors.keys()];
  const header = new TextEncoder().encode(
    JSON.stringify({ writeCount: state.writeCount, anchorIds: ids }),
  );
  const anchorOffset = Math.ceil((HEADER_OFFSET + header.length) / 8) * 8;
  const anchors = Float64Array.from(ids, (id) => state.anchors.get(id)!);
  const bytes = new Uint8Array(anchorOffset + anchors.byteLength + state.updater.length);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, header.length, true);
  bytes.set(header, HEADER_OFFSET);
  bytes.set(new Uint8Array(anchors.buffer), anchorOffset);
  bytes.set(state.updater, anchorOffset + anchors.byteLength);
  return bytes;
}

/** Decodes bytes from `encodeWriterState`, throwing `invalid_input` when they do not parse. */
export function decodeWriterState(bytes: Uint8Array): WriterState {
  const fail = (detail: string) =>
    new GaltError('invalid_input', `invalid memory-writer snapshot: ${detail}`, {
      remedy: 'restore from bytes written by ClassifierMemoryWriter.snapshot()',
    });
  if (
    bytes.length < HEADER_OFFSET ||
    new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC
  ) {
    throw fail('missing the GALTMW01 header');
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  let header: z.infer<typeof HeaderSchema>;
  try {
    const text = new TextDecoder().decode(
      bytes.subarray(HEADER_OFFSET, HEADER_OFFSET + headerLength),
    );
    header = HeaderSchema.parse(JSON.parse(text));
  } catch {
    throw fail('the header does not parse');
  }
  const anchorOffset = Math.ceil((HEADER_OFFSET + headerLength) / 8) * 8;
  const updaterOffset = anchorOffset + header.anchorIds.length * 8;
  if (updaterOffset > bytes.length) throw fail('the bytes end early');
  const anchorBytes = bytes.slice(anchorOffset, updaterOffset);
  const values = new Float64Array(anchorBytes.buffer);
  const anchors = new Map(header.anchorIds.map((id, index) => [id, values[index]!]));
  return { anchors, writeCount: header.writeCount, updater: bytes.slice(updaterOffset) };
}
