import {
  type DebtResolver,
  errorMessage,
  GaltError,
  type Logger,
  noopLogger,
  type ReadjudicationReport,
  ResidualDebtBook,
  SafetyStack,
  SeededRandom,
  TickClock,
} from '@galt/core';
import {
  formatIssues,
  type ParseResult,
  parseWith,
  type ResidualDebt,
  type StreamEvent,
  type WorldEvent,
  WorldEventSchema,
} from '@galt/protocol';
import { type Observable, Subject, throwError } from 'rxjs';
import { type AdmissionContext, admitAgent } from './agent-admission.js';
import { AgentState } from './agent-state.js';
import { emitGoalChanges, type TurnServices } from './agent-turn.js';
import { type AgentView, agentView } from './agent-view.js';
import { DEFAULT_ADJUDICATION_HEADS } from './classifier-proposal.js';
import type { AgentDeclaration } from './declaration.js';
import { type EventLog, MemoryEventLog, type PendingEvent, StoreEventLog } from './event-log.js';
import { MemoryRetriever } from './memory/retrieval.js';
import { forAgent } from './operators/for-agent.js';
import type { ScreenedChunk } from './operators/hold-back-at-violation.js';
import { streamReply } from './reply-stream.js';
import { checkOptions, DEFAULT_TURN_WINDOW_SIZE, startRun } from './runtime-options.js';
import { parseRuntimeSnapshot, type RuntimeSnapshot, restoreAgents } from './runtime-snapshot.js';
import type { RuntimeOptions, SafetyChannel, TaskPolicy, TickReport } from './runtime-types.js';
import { safetyTimeoutOption } from './safety-timeout.js';
import { TickBatch } from './tick-batch.js';
import { runTick } from './tick-runner.js';
import type { ToolDefinition } from './tools/tool-registry.js';
import { ToolRegistry } from './tools/tool-registry.js';
import { copyPlainUtterance } from './world-event-shape.js';
import type { RuntimeWorldFeed } from './world-feed.js';
import { createWorldFeed } from './world-feed-adapter.js';

/** Creates a runtime: agents, tools and policies, one batched model call per tick, and events. */
export function createRuntime(options: RuntimeOptions): Runtime {
  return new Runtime(options);
}

/** The agent runtime. Create it with `createRuntime`. */
export class Runtime {
  readonly runId: string;
  readonly seed: number;
  /** Every stored event of this runtime, in sequence order. */
  readonly events$: Observable<StreamEvent>;
  readonly #options: RuntimeOptions;
  readonly #logger: Logger;
  readonly #events = new Subject<StreamEvent>();
  readonly #batchListeners = new Set<(events: readonly StreamEvent[]) => void>();
  readonly #log: EventLog;
  readonly #tools: ToolRegistry;
  readonly #policies = new Map<string, TaskPolicy>();
  readonly #safety: SafetyChannel;
  readonly #safetyTimeoutMs: number;
  readonly #agentSafety = new Map<string, SafetyChannel>();
  readonly #agents = new Map<string, AgentState>();
  readonly #retriever: MemoryRetriever;
  readonly #root: SeededRandom;
  readonly #batch: TickBatch;
  #debts: ResidualDebtBook;
  #clock: TickClock;
  #pending: WorldEvent[] = [];
  #ticking = false;

  constructor(options: RuntimeOptions) {
    checkOptions(options);
    this.#options = options;
    this.runId = options.runId;
    this.seed = options.seed;
    this.#logger = options.logger ?? noopLogger;
    this.#clock = options.clock ?? new TickClock();
    this.#safety = options.safety ?? new SafetyStack({ logger: this.#logger });
    this.#safetyTimeoutMs = safetyTimeoutOption(options.safetyTimeoutMs);
    this.#tools = new ToolRegistry({ logger: this.#logger });
    this.#retriever = new MemoryRetriever(options.retrieval);
    this.#root = new SeededRandom(options.seed);
    this.#debts = new ResidualDebtBook();
    this.#batch = new TickBatch(options.model, this.#logger);
    this.#log =
      options.store === undefined
        ? new MemoryEventLog(this.runId, options.eventRetention)
        : new StoreEventLog(options.store, this.runId);
    this.events$ = this.#events.asObservable();
    startRun(options);
  }

  /** The current tick of the runtime's clock. */
  get currentTick(): number {
    return this.#clock.tick;
  }

  /** Registers a tool; throws `invalid_config` for a duplicate name. */
  registerTool(definition: ToolDefinition): this {
    this.#tools.register(definition);
    return this;
  }

  /** Registers a task policy under the name agent declarations refer to. */
  registerPolicy(name: string, policy: TaskPolicy): this {
    if (this.#policies.has(name)) {
      throw new GaltError(
        'invalid_config',
        `policy '${name}' is already registered; give each policy a unique name`,
      );
    }
    this.#policies.set(name, policy);
    return this;
  }

  /** Adds an agent; an invalid declaration returns issues with paths and changes nothing. */
  addAgent(input: unknown): ParseResult<AgentDeclaration> {
    const admitted = admitAgent(input, this.#admissionContext(this.#agents));
    if (!admitted.ok) {
      this.#logger.warn('agent declaration rejected', { issues: formatIssues(admitted.issues) });
      return admitted;
    }
    const { declaration, safety } = admitted.value;
    const random = this.#root.split(declaration.randomStream ?? declaration.id);
    this.#agents.set(declaration.id, new AgentState(declaration, random, this.#windowSize()));
    this.#agentSafety.set(declaration.id, safety);
    return { ok: true, value: declaration };
  }

  /** Lists the agents in the order they were added. */
  agents(): AgentView[] {
    return [...this.#agents.values()].map((agent) => agentView(agent, this.agentEvents$(agent.id)));
  }

  agent(agentId: string): AgentView | undefined {
    const agent = this.#agents.get(agentId);
    return agent === undefined ? undefined : agentView(agent, this.agentEvents$(agent.id));
  }

  /** Events of one agent; world-wide events are included when asked. */
  agentEvents$(agentId: string, options: { includeWorld?: boolean } = {}): Observable<StreamEvent> {
    return this.events$.pipe(forAgent(agentId, options));
  }

  /**
   * Queues a world event for the next tick. Malformed input is logged and returned as issues
   * instead of thrown.
   */
  inject(input: unknown): ParseResult<WorldEvent> {
    const plain = copyPlainUtterance(input);
    const parsed: ParseResult<WorldEvent> =
      plain === null ? parseWith(WorldEventSchema, input) : { ok: true, value: plain };
    if (!parsed.ok) {
      this.#logger.warn('injected world event rejected', { issues: formatIssues(parsed.issues) });
      return parsed;
    }
    this.#pending.push(parsed.value);
    return parsed;
  }

  /** Pauses an agent: it receives no events and makes no decisions until resumed. */
  pauseAgent(agentId: string): void {
    const agent = this.#require(agentId);
    if (agent.paused) return;
    agent.paused = true;
    this.#publish([{ tick: this.currentTick, agentId, kind: 'agent_paused', payload: {} }]);
  }

  resumeAgent(agentId: string): void {
    const agent = this.#require(agentId);
    if (!agent.paused) return;
    agent.paused = false;
    this.#publish([{ tick: this.currentTick, agentId, kind: 'agent_resumed', payload: {} }]);
  }

  /** Applies a decision to an approval pause; throws `not_found` when the agent has no such pending approval. */
  resolveApproval(agentId: string, approvalId: string, approved: boolean): void {
    const agent = this.#require(agentId);
    const changes = agent.goals.resolveApproval(approvalId, approved, this.currentTick);
    if (changes === null) {
      throw new GaltError(
        'not_found',
        `agent '${agentId}' has no pending approval '${approvalId}'`,
        {
          remedy: 'Use the approvalId of an approval_requested event that has not been answered',
        },
      );
    }
    const events: PendingEvent[] = [
      {
        tick: this.currentTick,
        agentId,
        kind: 'approval_resolved',
        payload: { approvalId, approved },
      },
    ];
    emitGoalChanges(changes, (kind, payload) =>
      events.push({ tick: this.currentTick, agentId, kind, payload }),
    );
    this.#publish(events);
  }

  /** Lists the approvals agents are waiting on. */
  pendingApprovals(): { agentId: string; approvalId: string; goalId: string }[] {
    return [...this.#agents.values()].flatMap((agent) =>
      agent.goals.pendingApprovals().map((pending) => ({ agentId: agent.id, ...pending })),
    );
  }

  /**
   * Runs one tick: delivers queued world events, batches every deciding agent into one model
   * call, then runs each agent's turn. Throws `invalid_input` when called while a tick runs.
   */
  async tick(): Promise<TickReport> {
    if (this.#ticking) {
      throw new GaltError(
        'invalid_input',
        'tick() was called while a tick is running; await the previous tick first',
      );
    }
    this.#ticking = true;
    try {
      return await this.#runTick();
    } finally {
      this.#ticking = false;
    }
  }

  async #runTick(): Promise<TickReport> {
    const { events, report } = await runTick({
      tick: this.#clock.advance(),
      pending: this.#pending.splice(0),
      agents: [...this.#agents.values()],
      batch: this.#batch,
      recordModelOutputs: this.#options.recordModelOutputs ?? true,
      services: this.#services(),
    });
    const stored = this.#publish(events);
    report.firstSeq = stored[0]?.seq ?? null;
    report.lastSeq = stored.at(-1)?.seq ?? null;
    return report;
  }

  #services(): TurnServices {
    return {
      tools: this.#tools,
      retriever: this.#retriever,
      logger: this.#logger,
      store: this.#options.store,
      memoryWriter: this.#options.memoryWriter,
      debts: this.#debts,
      adjudicationHeads: { ...DEFAULT_ADJUDICATION_HEADS, ...this.#options.adjudicationHeads },
      policyOf: (agent) => this.#policies.get(agent.declaration.policy)!,
      safetyOf: (agent) => this.#agentSafety.get(agent.id) ?? this.#safety,
      safetyTimeoutMs: this.#safetyTimeoutMs,
    };
  }

  /** Lists the residual debt carried for one agent, or for all agents. */
  residualDebts(agentId?: string): ResidualDebt[] {
    return this.#debts.list(agentId);
  }

  /**
   * Re-adjudicates an agent's residual debt with `resolver` and records each cleared or rejected
   * debt in the ledger as `residual_readjudicated`. A cleared debt is only reported, so the caller
   * must propose its candidate again for anything to be admitted.
   */
  readjudicateDebts(agentId: string, resolver: DebtResolver): ReadjudicationReport {
    const report = this.#debts.readjudicate(agentId, resolver);
    const resolved = [
      ...report.cleared.map((item) => ({ ...item, outcome: 'cleared' })),
      ...report.rejected.map((item) => ({ ...item, outcome: 'rejected' })),
    ];
    this.#options.store?.ledger.appendMany(
      resolved.map((item) => ({
        kind: 'residual_readjudicated' as const,
        tick: this.currentTick,
        payload: { debt: item.debt, outcome: item.outcome, reason: item.reason },
      })),
    );
    return report;
  }

  /**
   * Streams a reply of one agent chunk by chunk through its safety channel; see `streamReply`.
   * Nothing runs until the returned observable is subscribed.
   */
  streamReply(agentId: string, chunks$: Observable<string>): Observable<ScreenedChunk> {
    const agent = this.#agents.get(agentId);
    if (agent === undefined) return throwError(() => this.#notFound(agentId));
    return streamReply(
      {
        agent,
        safety: this.#agentSafety.get(agentId) ?? this.#safety,
        tick: this.currentTick,
        logger: this.#logger,
        safetyTimeoutMs: this.#safetyTimeoutMs,
        store: this.#options.store,
        publish: (events) => {
          this.#publish(events);
        },
      },
      chunks$,
    );
  }

  /**
   * Captures agents, clock, queued events and residual debt. Throws `invalid_input` while a tick
   * runs, because the agents are then between delivery and the end of their turns.
   */
  snapshot(): RuntimeSnapshot {
    this.#refuseDuringTick('snapshot');
    return structuredClone({
      runId: this.runId,
      seed: this.seed,
      clock: this.#clock.snapshot(),
      pending: this.#pending,
      agents: [...this.#agents.values()].map((agent) => agent.snapshot()),
      debts: this.#debts.snapshot(),
    });
  }

  /**
   * Replaces agents, clock, queued events and debt with a snapshot's. Policies, tools and safety
   * rules the agents name must be registered first; throws `invalid_input` otherwise, and while a
   * tick runs. A snapshot of another run id is restored with a logged warning.
   */
  restore(snapshot: unknown): void {
    this.#refuseDuringTick('restore');
    const parsed = parseRuntimeSnapshot(snapshot);
    if (parsed.runId !== this.runId) {
      this.#logger.warn('restoring a snapshot of another run', {
        snapshotRunId: parsed.runId,
        runId: this.runId,
      });
    }
    const restored = restoreAgents(parsed.agents, this.#windowSize(), (declaration, agentIds) =>
      admitAgent(declaration, this.#admissionContext(agentIds)),
    );

    this.#agents.clear();
    this.#agentSafety.clear();
    for (const [id, agent] of restored.agents) this.#agents.set(id, agent);
    for (const [id, channel] of restored.safety) this.#agentSafety.set(id, channel);

    this.#clock = TickClock.restore(parsed.clock);
    this.#pending = parsed.pending;
    this.#debts = new ResidualDebtBook();
    this.#debts.restore(parsed.debts);
  }

  /**
   * Returns the event feed the server streams (the server's `WorldFeed` interface). Without a store,
   * events are kept for feeds to read from the first call on.
   */
  worldFeed(): RuntimeWorldFeed {
    this.#log.feedOpened();
    return createWorldFeed({
      runId: this.runId,
      log: this.#log,
      listeners: this.#batchListeners,
      logger: this.#logger,
      state: () => this.#feedState(),
      runtime: this,
    });
  }

  /** Completes `events$`; the store stays open for its owner to close. */
  close(): void {
    this.#events.complete();
    this.#batchListeners.clear();
  }

  #feedState(): Record<string, unknown> {
    return {
      tick: this.currentTick,
      pendingEvents: this.#pending.length,
      agents: [...this.#agents.values()].map((agent) => ({
        id: agent.id,
        paused: agent.paused,
        violationLayer: agent.violationLayer,
        goals: agent.goals.snapshot().goals,
      })),
    };
  }

  /** Stores events, then emits them on `events$` and to feed listeners, in sequence order. */
  #publish(events: readonly PendingEvent[]): StreamEvent[] {
    const stored = this.#log.append(events);
    // Subject.next allocates even with no subscriber, so the loop runs only when one listens.
    if (this.#events.observed) for (const event of stored) this.#events.next(event);
    if (this.#batchListeners.size === 0) return stored;
    const numbered = this.#log.toFeed(stored);
    for (const listener of this.#batchListeners) {
      try {
        listener(numbered);
      } catch (error) {
        this.#logger.error('world feed listener threw', { error: errorMessage(error) });
      }
    }
    return stored;
  }

  #admissionContext(agentIds: { has(agentId: string): boolean }): AdmissionContext {
    return {
      agentIds,
      policies: this.#policies,
      tools: this.#tools,
      model: this.#options.model,
      safety: this.#safety,
      logger: this.#logger,
    };
  }

  #windowSize(): number {
    return this.#options.turnWindowSize ?? DEFAULT_TURN_WINDOW_SIZE;
  }

  #require(agentId: string): AgentState {
    const agent = this.#agents.get(agentId);
    if (agent === undefined) throw this.#notFound(agentId);
    return agent;
  }

  #refuseDuringTick(operation: string): void {
    if (!this.#ticking) return;
    throw new GaltError('invalid_input', `${operation}() was called while a tick is running`, {
      remedy: 'Await the running tick() first',
    });
  }

  #notFound(agentId: string): GaltError {
    return new GaltError('not_found', `agent '${agentId}' not found`, {
      remedy: 'Add the agent with addAgent first',
    });
  }
}
