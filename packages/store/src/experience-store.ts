import { canonicalJson } from '@galt/core';
import { z } from 'zod';
import type { Connection } from './connection.js';
import { parseJsonText, readBack, validate } from './run-store.js';

/** One transition for a replay buffer: state, action, reward, next state. */
export const ExperienceSchema = z.object({
  agentId: z.string().min(1),
  runId: z.string().min(1).nullable().default(null),
  tick: z.number().int().nonnegative(),
  /** Any JSON value: an observation vector, a text, a feature record. */
  state: z.json(),
  action: z.json(),
  reward: z.number().refine(Number.isFinite, 'reward must be finite'),
  nextState: z.json().nullable().default(null),
  done: z.boolean(),
});
export type Experience = z.infer<typeof ExperienceSchema>;
export type ExperienceInput = z.input<typeof ExperienceSchema>;

/** A stored transition with its row id, which orders transitions by insertion. */
export const StoredExperienceSchema = ExperienceSchema.extend({ id: z.number().int().positive() });
export type StoredExperience = z.infer<typeof StoredExperienceSchema>;

/** Rows `read` returns without a limit, which bounds memory per query. */
const DEFAULT_READ_LIMIT = 10_000;

interface ExperienceRow {
  id: number;
  agent_id: string;
  run_id: string | null;
  tick: number;
  state: string;
  action: string;
  reward: number;
  next_state: string | null;
  done: number;
}

/** Transitions for replay buffers. */
export class ExperienceStore {
  constructor(private readonly connection: Connection) {}

  /** Appends transitions in one transaction and returns their row ids. */
  append(rows: readonly ExperienceInput[]): number[] {
    const valid = rows.map((row, index) => validate(ExperienceSchema, row, `experience ${index}`));
    const insert =
      'INSERT INTO experiences (agent_id, run_id, tick, state, action, reward, next_state, done) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
    return this.connection.transaction(() =>
      valid.map((row) => {
        const nextState = row.nextState === null ? null : canonicalJson(row.nextState);
        const result = this.connection
          .statement(insert)
          .run(
            row.agentId,
            row.runId,
            row.tick,
            canonicalJson(row.state),
            canonicalJson(row.action),
            row.reward,
            nextState,
            row.done ? 1 : 0,
          );
        return Number(result.lastInsertRowid);
      }),
    );
  }

  /** Returns the latest `limit` transitions, optionally of one agent, oldest first. */
  read(agentId?: string, limit = DEFAULT_READ_LIMIT): StoredExperience[] {
    return this.connection.run(() => {
      const rows = (
        agentId === undefined
          ? this.connection
              .statement('SELECT * FROM experiences ORDER BY id DESC LIMIT ?')
              .all(limit)
          : this.connection
              .statement('SELECT * FROM experiences WHERE agent_id = ? ORDER BY id DESC LIMIT ?')
              .all(agentId, limit)
      ) as ExperienceRow[];
      return rows.reverse().map((row) => this.parse(row));
    });
  }

  private parse(row: ExperienceRow): StoredExperience {
    return readBack(StoredExperienceSchema, `experience ${row.id}`, this.connection.path, {
      id: row.id,
      agentId: row.agent_id,
      runId: row.run_id,
      tick: row.tick,
      state: parseJsonText(row.state),
      action: parseJsonText(row.action),
      reward: row.reward,
      nextState: row.next_state === null ? null : parseJsonText(row.next_state),
      done: row.done === 1,
    });
  }
}
