import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@galt/core';
import { type EventServer, generateToken, type LedgerReader } from '@galt/server';
import { openStore } from '@galt/store';
import type { VillageSession } from '@galt/village';
import { CliError, ExitCode } from '../../exit-codes.js';
import type { CliIo } from '../../io.js';
import type { OptionValues } from '../../options.js';
import { ProgressDisplay } from '../../progress.js';
import { CURRICULUM_DIRECTORY, resolveExistingDirectory } from '../existing-file.js';
import { note } from '../output.js';
import {
  attachEventServer,
  closeListener,
  listenOnLoopback,
  type RunListener,
} from './event-endpoint.js';
import { serveInspector } from './inspector-routes.js';
import type { runOptions } from './run-options.js';
import { type RunSummary, RunSummarySchema } from './run-summary.js';

/** Validated options of `galt run`. */
export type RunValues = OptionValues<typeof runOptions>;

/** Address and token of a run's event server. */
export interface RunEndpoint {
  readonly runId: string;
  readonly url: string;
  readonly port: number;
  readonly token: string;
}

/** Callbacks for embedding `galt run` in a program or a test. */
export interface RunHooks {
  /** Called once the event server listens, before the first tick; ticking waits for it. */
  onServing?(endpoint: RunEndpoint): void | Promise<void>;
}

/** Result of a run: its summary and whether it stopped early on an interrupt. */
export interface RunResult {
  readonly summary: RunSummary;
  readonly interrupted: boolean;
}

/**
 * Runs the village: binds the port on 127.0.0.1, opens the database, starts the world and its
 * event server, and ticks with a progress display. After the last tick or an interrupt it stops
 * ticking, closes the event server, ends the run and closes the database, in that order.
 */
export async function runWorld(
  values: RunValues,
  io: CliIo,
  logger: Logger,
  hooks: RunHooks = {},
): Promise<RunResult> {
  const listener = await listenOnLoopback(values.port);
  try {
    return await runWithListener(listener, values, io, logger, hooks);
  } finally {
    await closeListener(listener);
  }
}

async function runWithListener(
  listener: RunListener,
  values: RunValues,
  io: CliIo,
  logger: Logger,
  hooks: RunHooks,
): Promise<RunResult> {
  const dataDir =
    values.data === undefined
      ? undefined
      : resolveExistingDirectory(values.data, '--data', CURRICULUM_DIRECTORY, io);
  const databasePath = resolve(io.cwd, values.db);
  const databaseDirectory = dirname(databasePath);
  if (!existsSync(databaseDirectory)) {
    throw new CliError(
      `directory ${databaseDirectory} of --db does not exist; create it ` +
        `(mkdir -p ${databaseDirectory}) or pass --db with a path in an existing directory`,
      ExitCode.usage,
    );
  }
  const fileExisted = existsSync(databasePath);
  const existed = fileExisted && statSync(databasePath).size > 0;
  const store = openStore(databasePath, { logger });
  let session: VillageSession;
  try {
    if (existed) announceExistingDatabase(io, databasePath, store.ledger.head().seq);
    // Loaded on demand, so commands that never run the village skip loading ONNX Runtime.
    const { openVillage } = await import('@galt/village');
    session = await openVillage({
      store,
      seed: values.seed,
      ticks: values.ticks,
      executionProvider: values.ep,
      ...(dataDir === undefined ? {} : { dataDir }),
      logger,
    });
  } catch (error) {
    // Nothing was recorded yet, so a file this run created is removed rather than left empty.
    const recorded = store.ledger.head().seq > 0;
    store.close();
    if (!fileExisted && !recorded) removeDatabaseFiles(databasePath);
    throw error;
  }
  try {
    for (const line of session.notes) note(io, line);
    const run = { listener, session, ledger: store.ledger };
    return await serveAndTick(run, values, io, logger, hooks);
  } finally {
    store.close();
  }
}

/** Shortest token accepted without a warning: 16 random characters is about 95 bits. */
const MIN_TOKEN_LENGTH = 16;

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

function announceExistingDatabase(io: CliIo, path: string, ledgerRecords: number): void {
  note(
    io,
    `${path} already exists: this run is added to it after its ${ledgerRecords} ledger ` +
      'records; earlier runs stay. Use --db PATH for a separate file.',
  );
}

/** The parts of a started run that serving and ticking use. */
interface StartedRun {
  listener: RunListener;
  session: VillageSession;
  ledger: LedgerReader;
}

async function serveAndTick(
  run: StartedRun,
  values: RunValues,
  io: CliIo,
  logger: Logger,
  hooks: RunHooks,
): Promise<RunResult> {
  const { listener, session } = run;
  let server: EventServer | null = null;
  let interrupted: boolean;
  try {
    const token = values.token ?? generateToken();
    if (values.token !== undefined && values.token.length < MIN_TOKEN_LENGTH) {
      note(
        io,
        `warning: the token has ${values.token.length} characters; a process on this machine ` +
          `could guess it. Use ${MIN_TOKEN_LENGTH} or more, or leave --token out for a random one`,
      );
    }
    server = await attachEventServer(listener, session.feed, token);
    const sources = { feed: session.feed, ledger: run.ledger, token, logger };
    const pageServed = serveInspector(listener, sources);
    const endpoint = {
      runId: session.runId,
      url: server.url,
      port: server.port,
      token: server.token,
    };
    announceEndpoint(io, endpoint, session.agents);
    if (pageServed) announceInspector(io, endpoint);
    await hooks.onServing?.(endpoint);
    interrupted = await tickAtFullSpeed(session, values, io);
    if (values.serve && !interrupted) interrupted = await tickUntilInterrupted(session, values, io);
  } catch (error) {
    // Still end the run, so the database records that it stopped, then report the first error.
    await server
      ?.close()
      .catch((closeError: unknown) => logCleanupError(logger, 'close', closeError));
    await session.finish().catch((endError: unknown) => logCleanupError(logger, 'end', endError));
    throw error;
  }
  // Ticking has stopped, so close the event server and then end the run. The callers close the
  // database and then the listener.
  await server.close();
  const summary = parseSummary(await session.finish());
  return { summary, interrupted };
}

function logCleanupError(logger: Logger, step: 'close' | 'end', error: unknown): void {
  const failure = step === 'close' ? 'closing the event server failed' : 'ending the run failed';
  logger.error(failure, { error: error instanceof Error ? error.message : String(error) });
}

function announceEndpoint(io: CliIo, endpoint: RunEndpoint, agents: number): void {
  note(io, `run ${endpoint.runId}: ${agents} agents`);
  note(io, `events: ${endpoint.url}`);
  note(io, `token:  ${endpoint.token}`);
  note(io, '        (send it as the header "Authorization: Bearer TOKEN" or as ?token=TOKEN)');
}

function announceInspector(io: CliIo, endpoint: RunEndpoint): void {
  const page = `http://127.0.0.1:${endpoint.port}/`;
  note(io, `inspector: ${page}#token=${endpoint.token}`);
  note(io, '        (the page reads the token from the # fragment, which browsers never send)');
}

async function tickAtFullSpeed(session: VillageSession, values: RunValues, io: CliIo) {
  const progress = new ProgressDisplay({
    output: io.stderr,
    now: () => io.now(),
    label: 'tick',
    total: values.ticks,
    enabled: !values.json || io.stderr.isTTY,
  });
  let decisions = 0;
  for (let done = 1; done <= values.ticks; done += 1) {
    if (io.interrupt.aborted) break;
    decisions += (await session.step()).decisions;
    progress.update(done, { decisions });
  }
  progress.finish();
  return io.interrupt.aborted;
}

async function tickUntilInterrupted(session: VillageSession, values: RunValues, io: CliIo) {
  note(io, `serving: one tick every ${values['tick-ms']} ms until Ctrl-C (SIGINT) or SIGTERM`);
  const progress = new ProgressDisplay({
    output: io.stderr,
    now: () => io.now(),
    label: 'tick',
    total: null,
    enabled: !values.json || io.stderr.isTTY,
  });
  let ticks = values.ticks;
  while (!io.interrupt.aborted) {
    const slept = await sleep(values['tick-ms'], true, { signal: io.interrupt }).catch(() => false);
    if (!slept) break;
    await session.step();
    ticks += 1;
    progress.update(ticks);
  }
  progress.finish();
  return true;
}

/** Checks the fields the CLI promises and returns the summary unchanged, in the village's order. */
function parseSummary(raw: unknown): RunSummary {
  const parsed = RunSummarySchema.safeParse(raw);
  if (parsed.success) return raw as RunSummary;
  const details = parsed.error.issues
    .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    .join('; ');
  throw new CliError(`the village returned an invalid run summary: ${details}`, ExitCode.failed);
}
