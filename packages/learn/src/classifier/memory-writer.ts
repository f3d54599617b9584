import type { ParametricWriteRecord } from '@galt/protocol';
import type { WriteRequest } from './write-request.js';

/** A parametric memory channel that the runtime writes to and checkpoints. */
export interface MemoryWriter {
  /** Takes one constrained write and returns its ledger record (committed, rolled back or refused). */
  write(request: WriteRequest): Promise<ParametricWriteRecord>;
  /** Encodes the writer's state for a store checkpoint. */
  snapshot(): Uint8Array;
  /** Replaces the writer's state with checkpoint bytes. */
  restore(bytes: Uint8Array): void;
}
