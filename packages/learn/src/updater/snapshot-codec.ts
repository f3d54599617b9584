import { GaltError } from '@galt/core';
import { RowKindSchema } from '@galt/protocol';
import { z } from 'zod';
import type { MomentState } from './adam-moments.js';
import { GaltOptionsSchema, type ResolvedGaltOptions } from './options.js';
import type { RowState } from './row-state.js';

/** Everything a `GaltUpdater` needs to continue exactly where it stopped. */
export interface UpdaterState {
  options: ResolvedGaltOptions;
  moments: MomentState;
  rows: Map<string, RowState>;
  anchor: Float64Array | null;
  innerSinceOuter: number;
}

/** Magic bytes and format version at the start of every snapshot. */
const MAGIC = 'GALTUPD1';
const HEADER_OFFSET = MAGIC.length + 4;

const HeaderSchema = z.object({
  options: GaltOptionsSchema,
  step: z.number().int().nonnegative(),
  innerSinceOuter: z.number().int().nonnegative(),
  hasAnchor: z.boolean(),
  rows: z.array(
    z.object({
      id: z.string(),
      kind: RowKindSchema,
      hard: z.boolean(),
      active: z.boolean(),
      jacobianAge: z.number().int().nonnegative(),
      hasJacobian: z.boolean(),
    }),
  ),
});

/**
 * Encodes the state as: magic, u32 header length, JSON header, padding to 8 bytes, then float64
 * arrays (moments, anchor, per-row λ/ρ/last violation, cached Jacobian rows). Float values live
 * in the binary part so every bit, including the sign of zero, survives a round trip.
 */
export function encodeUpdater(state: UpdaterState): Uint8Array {
  const rows = [...state.rows.entries()];
  const header = {
    options: state.options,
    step: state.moments.step,
    innerSinceOuter: state.innerSinceOuter,
    hasAnchor: state.anchor !== null,
    rows: rows.map(([id, row]) => ({
      id,
      kind: row.kind,
      hard: row.hard,
      active: row.active,
      jacobianAge: row.jacobianAge,
      hasJacobian: row.jacobian !== null,
    })),
  };

  const arrays: Float64Array[] = [state.moments.first, state.moments.second];
  if (state.anchor !== null) arrays.push(state.anchor);
  for (const [, row] of rows) {
    arrays.push(Float64Array.of(row.lambda, row.rho, row.lastViolation));
    if (row.jacobian !== null) arrays.push(row.jacobian);
  }

  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const bodyOffset = align8(HEADER_OFFSET + headerBytes.length);
  const total = bodyOffset + arrays.reduce((sum, array) => sum + array.byteLength, 0);
  const bytes = new Uint8Array(total);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  bytes.set(headerBytes, HEADER_OFFSET);

  let offset = bodyOffset;
  for (const array of arrays) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += array.byteLength;
  }
  return bytes;
}

/** Decodes bytes written by `encodeUpdater`, throwing `invalid_input` on any mismatch. */
export function decodeUpdater(bytes: Uint8Array): UpdaterState {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (bytes.length < HEADER_OFFSET || magic !== MAGIC)
    throw invalidSnapshot('missing the GALTUPD1 header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerEnd = HEADER_OFFSET + headerLength;
  if (headerEnd > bytes.length) throw invalidSnapshot('the header runs past the end of the bytes');

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_OFFSET, headerEnd)));
  } catch {
    throw invalidSnapshot('the header is not valid JSON');
  }
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success)
    throw invalidSnapshot(`the header is invalid: ${parsed.error.issues[0]?.message}`);
  const header = parsed.data;

  const d = header.options.blocks.reduce((sum, block) => sum + block.size, 0);
  const reader = new Float64Reader(bytes, align8(headerEnd));
  const moments: MomentState = { step: header.step, first: reader.read(d), second: reader.read(d) };
  const anchor = header.hasAnchor ? reader.read(d) : null;

  const rows = new Map<string, RowState>();
  for (const row of header.rows) {
    const [lambda, rho, lastViolation] = reader.read(3);
    const jacobian = row.hasJacobian ? reader.read(d) : null;
    rows.set(row.id, {
      kind: row.kind,
      hard: row.hard,
      active: row.active,
      jacobianAge: row.jacobianAge,
      lambda: lambda!,
      rho: rho!,
      lastViolation: lastViolation!,
      jacobian,
    });
  }

  if (reader.offset !== bytes.length) throw invalidSnapshot('trailing bytes after the last array');
  return {
    options: header.options,
    moments,
    rows,
    anchor,
    innerSinceOuter: header.innerSinceOuter,
  };
}

class Float64Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset: number,
  ) {}

  read(length: number): Float64Array {
    const byteLength = length * 8;
    if (this.offset + byteLength > this.bytes.length) throw invalidSnapshot('the bytes end early');
    const copy = new Uint8Array(byteLength);
    copy.set(this.bytes.subarray(this.offset, this.offset + byteLength));
    this.offset += byteLength;
    return new Float64Array(copy.buffer);
  }
}

function align8(value: number): number {
  return Math.ceil(value / 8) * 8;
}

function invalidSnapshot(detail: string): GaltError {
  return new GaltError('invalid_input', `invalid updater snapshot: ${detail}`, {
    remedy: 'restore from bytes written by GaltUpdater.snapshot()',
  });
}
