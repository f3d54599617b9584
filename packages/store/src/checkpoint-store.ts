import { GaltError, sha256Hex } from '@galt/core';
import { z } from 'zod';
import type { Connection } from './connection.js';
import type { LedgerStore } from './ledger-store.js';
import { readBack, validate } from './run-store.js';

/** A saved checkpoint: updater or model state bytes and their SHA-256. */
export interface Checkpoint {
  readonly bytes: Uint8Array;
  readonly digest: string;
  readonly tick: number;
}

const SaveSchema = z.object({
  name: z.string().min(1),
  bytes: z.instanceof(Uint8Array),
  tick: z.number().int().nonnegative(),
});

const RowSchema = z.object({
  name: z.string(),
  tick: z.number().int().nonnegative(),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.instanceof(Uint8Array),
});

/** Named state blobs. Saving again under a name keeps the old one, and `load` returns the latest. */
export class CheckpointStore {
  constructor(
    private readonly connection: Connection,
    private readonly ledger: LedgerStore,
  ) {}

  /** Saves bytes under `name` and appends a `checkpoint` ledger record with their digest. */
  save(name: string, bytes: Uint8Array, tick: number): { digest: string } {
    const input = validate(SaveSchema, { name, bytes, tick }, 'checkpoint');
    const digest = sha256Hex(input.bytes);
    return this.connection.transaction(() => {
      this.connection
        .statement('INSERT INTO checkpoints (name, tick, digest, bytes) VALUES (?, ?, ?, ?)')
        .run(input.name, input.tick, digest, Buffer.from(input.bytes));
      const payload = { name: input.name, digest, size: input.bytes.byteLength };
      this.ledger.appendInTransaction([{ kind: 'checkpoint', tick: input.tick, payload }]);
      return { digest };
    });
  }

  /** Returns the latest checkpoint of `name`, or null. A digest mismatch throws. */
  load(name: string): Checkpoint | null {
    return this.connection.run(() => {
      const row = this.connection
        .statement(
          'SELECT name, tick, digest, bytes FROM checkpoints WHERE name = ? ORDER BY id DESC LIMIT 1',
        )
        .get(name);
      if (row === undefined) return null;
      const checkpoint = readBack(RowSchema, `checkpoint ${name}`, this.connection.path, row);
      const bytes = new Uint8Array(checkpoint.bytes);
      if (sha256Hex(bytes) !== checkpoint.digest) {
        throw new GaltError('database_unreadable', `checkpoint ${name} does not match its digest`, {
          remedy: 'Save the checkpoint again or restore the file from a backup',
        });
      }
      return { bytes, digest: checkpoint.digest, tick: checkpoint.tick };
    });
  }
}
