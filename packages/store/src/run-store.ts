import { canonicalJson, GaltError } from '@galt/core';
import {
  formatIssues,
  parseWith,
  type RunInfo,
  RunInfoSchema,
  STREAM_EVENT_KINDS,
  type StreamEvent,
  StreamEventSchema,
} from '@galt/protocol';
import { z } from 'zod';
import type { Connection } from './connection.js';
import { isNonEmptyString, isPlainRecord, isTick } from './input-checks.js';
import type { LedgerStore } from './ledger-store.js';

/** Fields of `startRun`: the seed, config and model digest that reproduce the run. */
export const RunStartSchema = z.object({
  runId: z.string().min(1),
  seed: z.number().int(),
  config: z.record(z.string(), z.unknown()),
  modelDigest: z.string(),
});
export type RunStart = z.infer<typeof RunStartSchema>;

/** An event before the store assigns its sequence number. */
export const EventAppendSchema = StreamEventSchema.omit({ seq: true });
export type EventAppend = z.infer<typeof EventAppendSchema>;

/** Options of `readEvents`. */
export interface ReadEventsOptions {
  readonly fromSeq?: number;
  readonly limit?: number;
  readonly runId?: string;
}

/** Page size when `readEvents` gets no limit, which bounds memory per query. */
const DEFAULT_EVENT_LIMIT = 10_000;

const INSERT_EVENT_SQL =
  'INSERT INTO events (seq, run_id, tick, agent_id, kind, payload) VALUES (?, ?, ?, ?, ?, ?)';

const EVENT_KINDS: ReadonlySet<string> = new Set(STREAM_EVENT_KINDS);

interface RunRow {
  run_id: string;
  seed: number;
  config: string;
  model_digest: string;
  started_at: string;
  ended_at: string | null;
}

interface EventRow {
  seq: number;
  run_id: string;
  tick: number;
  agent_id: string | null;
  kind: string;
  payload: string;
}

/** Runs and their event streams. Starting and ending a run are ledger records too. */
export class RunStore {
  constructor(
    private readonly connection: Connection,
    private readonly ledger: LedgerStore,
  ) {}

  /** Records a new run and appends `run_started` to the ledger at tick 0. */
  startRun(info: RunStart): RunInfo {
    const start = validate(RunStartSchema, info, 'run');
    return this.connection.transaction(() => {
      if (this.getRun(start.runId) !== null) {
        throw new GaltError('invalid_input', `run ${start.runId} already exists`, {
          remedy: 'Use a new runId for every run',
        });
      }
      const startedAt = this.connection.now();
      this.connection
        .statement(
          'INSERT INTO runs (run_id, seed, config, model_digest, started_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(start.runId, start.seed, canonicalJson(start.config), start.modelDigest, startedAt);
      this.ledger.appendInTransaction([{ kind: 'run_started', tick: 0, payload: { ...start } }]);
      return { ...start, startedAt, endedAt: null };
    });
  }

  /** Marks a run finished and appends `run_finished` to the ledger. */
  endRun(runId: string, tick = 0): RunInfo {
    return this.connection.transaction(() => {
      const run = this.getRun(runId);
      if (run === null) {
        throw new GaltError('not_found', `run ${runId} not found`, {
          remedy: 'Call startRun first',
        });
      }
      const endedAt = this.connection.now();
      this.connection
        .statement('UPDATE runs SET ended_at = ? WHERE run_id = ?')
        .run(endedAt, runId);
      this.ledger.appendInTransaction([{ kind: 'run_finished', tick, payload: { runId } }]);
      return { ...run, endedAt };
    });
  }

  /** Returns a run, or null. */
  getRun(runId: string): RunInfo | null {
    return this.connection.run(() => {
      const row = this.connection.statement('SELECT * FROM runs WHERE run_id = ?').get(runId) as
        | RunRow
        | undefined;
      return row === undefined ? null : this.parseRun(row);
    });
  }

  /** Inserts a run row as exported, for imports. */
  putRun(run: RunInfo): void {
    this.connection
      .statement(
        'INSERT INTO runs (run_id, seed, config, model_digest, started_at, ended_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        run.runId,
        run.seed,
        canonicalJson(run.config),
        run.modelDigest,
        run.startedAt,
        run.endedAt,
      );
  }

  /**
   * Appends events in one transaction, numbering them after the current head. An invalid event
   * throws `invalid_input` with the issue paths, and then nothing is written.
   */
  appendEvents(events: readonly EventAppend[]): StreamEvent[] {
    if (!Array.isArray(events)) {
      throw new GaltError('invalid_input', 'events must be an array', {
        remedy: 'Pass an array of events without seq',
      });
    }
    const valid = events.map(checkEvent);
    return this.connection.transaction(() => {
      const insert = this.connection.statement(INSERT_EVENT_SQL);
      let seq = this.headSeq();
      return valid.map((event) => {
        seq += 1;
        const payloadText = canonicalJson(event.payload);
        insert.run(seq, event.runId, event.tick, event.agentId, event.kind, payloadText);
        const { runId, tick, agentId, kind, payload } = event;
        return { seq, runId, tick, agentId, kind, payload };
      });
    });
  }

  /** Inserts an event with its seq as given, for imports. */
  insertEvent(event: StreamEvent): StreamEvent {
    this.connection
      .statement(INSERT_EVENT_SQL)
      .run(
        event.seq,
        event.runId,
        event.tick,
        event.agentId,
        event.kind,
        canonicalJson(event.payload),
      );
    return event;
  }

  /** Returns events in seq order, optionally of one run, from `fromSeq` on. */
  readEvents(options: ReadEventsOptions = {}): StreamEvent[] {
    const fromSeq = options.fromSeq ?? 1;
    const limit = options.limit ?? DEFAULT_EVENT_LIMIT;
    return this.connection.run(() => {
      const rows = (
        options.runId === undefined
          ? this.connection
              .statement('SELECT * FROM events WHERE seq >= ? ORDER BY seq LIMIT ?')
              .all(fromSeq, limit)
          : this.connection
              .statement('SELECT * FROM events WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?')
              .all(options.runId, fromSeq, limit)
      ) as EventRow[];
      return rows.map((row) => this.parseEvent(row));
    });
  }

  /** Returns the highest event seq, 0 when there is none. */
  headSeq(): number {
    return this.connection.run(() => {
      const row = this.connection.statement('SELECT MAX(seq) AS seq FROM events').get() as {
        seq: number | null;
      };
      return row.seq ?? 0;
    });
  }

  private parseRun(row: RunRow): RunInfo {
    return readBack(RunInfoSchema, `run ${row.run_id}`, this.connection.path, {
      runId: row.run_id,
      seed: row.seed,
      config: parseJsonText(row.config),
      modelDigest: row.model_digest,
      startedAt: row.started_at,
      endedAt: row.ended_at,
    });
  }

  private parseEvent(row: EventRow): StreamEvent {
    return readBack(StreamEventSchema, `event ${row.seq}`, this.connection.path, {
      seq: row.seq,
      runId: row.run_id,
      tick: row.tick,
      agentId: row.agent_id,
      kind: row.kind,
      payload: parseJsonText(row.payload),
    });
  }
}

/**
 * Returns the event when the cheap checks pass, and otherwise validates it with
 * `EventAppendSchema`, which throws with the issue paths or returns the parsed event.
 */
function checkEvent(event: EventAppend, index: number): EventAppend {
  const wellFormed =
    typeof event === 'object' &&
    event !== null &&
    isNonEmptyString(event.runId) &&
    isTick(event.tick) &&
    (event.agentId === null || typeof event.agentId === 'string') &&
    EVENT_KINDS.has(event.kind) &&
    isPlainRecord(event.payload);
  return wellFormed ? event : validate(EventAppendSchema, event, `event ${index}`);
}

/** Validates caller input, throwing `invalid_input` with the issues' paths. */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = parseWith(schema, input);
  if (parsed.ok) return parsed.value;
  throw new GaltError('invalid_input', `${what} is invalid: ${formatIssues(parsed.issues)}`, {
    remedy: 'Fix the fields named above and call again',
    issues: parsed.issues,
  });
}

/** Validates a row read back from SQLite, throwing `database_unreadable` if it does not parse. */
export function readBack<S extends z.ZodType>(
  schema: S,
  what: string,
  path: string,
  value: unknown,
): z.output<S> {
  const parsed = parseWith(schema, value);
  if (parsed.ok) return parsed.value;
  throw new GaltError(
    'database_unreadable',
    `${what} in ${path} is invalid: ${formatIssues(parsed.issues)}`,
    {
      remedy: 'Restore the file from a backup',
    },
  );
}

/** Parses stored JSON text; text that does not parse becomes undefined so the schema rejects it. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
