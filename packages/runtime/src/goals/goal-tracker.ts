import type { AgentAction } from '@galt/protocol';
import { z } from 'zod';
import { type ConditionContext, conditionHolds } from './conditions.js';
import type { Goal, PlanStep } from './goal-schema.js';
import { firstLeaf, nextLeaf, type PlanCursor, stepAt, stepPath } from './plan-cursor.js';

export const GoalStatusSchema = z.enum([
  'inactive',
  'active',
  'awaiting_approval',
  'completed',
  'failed',
]);
export type GoalStatus = z.infer<typeof GoalStatusSchema>;

export const GoalStateSchema = z.object({
  goalId: z.string().min(1),
  status: GoalStatusSchema,
  /** Current leaf of the plan; null before activation and once the plan has run its last step. */
  cursor: z.array(z.number().int().nonnegative()).nullable(),
  approvalId: z.string().nullable(),
});
export type GoalState = z.infer<typeof GoalStateSchema>;

export const GoalTrackerSnapshotSchema = z.object({
  goals: z.array(GoalStateSchema),
  flags: z.record(z.string(), z.boolean()),
});
export type GoalTrackerSnapshot = z.infer<typeof GoalTrackerSnapshotSchema>;

/** A change the runtime turns into a `goal_changed` or `approval_requested` event. */
export type GoalChange =
  | {
      type: 'goal_changed';
      goalId: string;
      status: GoalStatus;
      stepId: string | null;
      stepPath: string[];
      cursor: number[] | null;
    }
  | {
      type: 'approval_requested';
      goalId: string;
      stepId: string;
      approvalId: string;
      prompt: string;
    };

/** An active goal as passed to the task policy: the goal and its current step. */
export interface ActiveGoal {
  goal: Goal;
  status: GoalStatus;
  step: PlanStep | null;
}

/** Tracks one agent's goals: activation, plan progress, approval pauses and completion. */
export class GoalTracker {
  readonly #goals: readonly Goal[];
  readonly #agentId: string;
  #states: GoalState[];
  #flags: Record<string, boolean> = {};

  constructor(agentId: string, goals: readonly Goal[]) {
    this.#agentId = agentId;
    this.#goals = [...goals].sort((a, b) => b.priority - a.priority);
    this.#states = this.#goals.map((goal) => ({
      goalId: goal.id,
      status: 'inactive',
      cursor: null,
      approvalId: null,
    }));
  }

  flags(): Readonly<Record<string, boolean>> {
    return this.#flags;
  }

  /** Returns whether any goal is active or awaiting approval. */
  hasActive(): boolean {
    return this.#states.some(
      (state) => state.status === 'active' || state.status === 'awaiting_approval',
    );
  }

  /** Returns the active goals, highest priority first, with their current steps. */
  active(): ActiveGoal[] {
    const active: ActiveGoal[] = [];
    this.#goals.forEach((goal, index) => {
      const state = this.#states[index];
      if (
        state === undefined ||
        (state.status !== 'active' && state.status !== 'awaiting_approval')
      )
        return;
      const step = state.cursor === null ? null : (stepAt(goal.plan, state.cursor) ?? null);
      active.push({ goal, status: state.status, step });
    });
    return active;
  }

  /** Activates goals whose conditions hold, passes wait steps and completes finished goals. */
  evaluate(context: Omit<ConditionContext, 'flags' | 'completedGoals' | 'planDone'>): GoalChange[] {
    const changes: GoalChange[] = [];
    if (this.#goals.length === 0) return changes;
    this.#goals.forEach((goal, index) => {
      const state = this.#states[index];
      if (state === undefined) return;
      const full = this.#context(context, state);
      if (state.status === 'inactive' && this.#mayActivate(goal, full)) {
        this.#enter(goal, state, firstLeaf(goal.plan), context.tick, changes, 'active');
      } else if (state.status === 'active') {
        const step = state.cursor === null ? undefined : stepAt(goal.plan, state.cursor);
        if (step?.type === 'wait' && conditionHolds(step.until, full))
          this.#advance(goal, state, context.tick, changes);
      }
      if (
        state.status === 'active' &&
        conditionHolds(goal.completion, this.#context(context, state))
      ) {
        this.#set(goal, state, 'completed', null, changes);
      }
    });
    return changes;
  }

  /** Advances the top goal whose current action step matches the action the agent took. */
  recordAction(action: AgentAction): GoalChange[] {
    const changes: GoalChange[] = [];
    for (const [index, goal] of this.#goals.entries()) {
      const state = this.#states[index];
      if (state?.status !== 'active' || state.cursor === null) continue;
      const step = stepAt(goal.plan, state.cursor);
      if (step?.type !== 'action' || step.action !== action.kind) continue;
      if (step.setsFlag !== undefined) this.#flags[step.setsFlag] = true;
      this.#advance(goal, state, action.tick, changes);
      break;
    }
    return changes;
  }

  /** Applies an approval decision; returns null when no goal waits on `approvalId`. */
  resolveApproval(approvalId: string, approved: boolean, tick: number): GoalChange[] | null {
    const index = this.#states.findIndex((state) => state.approvalId === approvalId);
    const state = this.#states[index];
    const goal = this.#goals[index];
    if (state === undefined || goal === undefined || state.status !== 'awaiting_approval')
      return null;
    const changes: GoalChange[] = [];
    state.approvalId = null;
    if (!approved) {
      this.#set(goal, state, 'failed', state.cursor, changes);
      return changes;
    }
    state.status = 'active';
    this.#advance(goal, state, tick, changes);
    return changes;
  }

  /** Lists the approvals this agent waits on. */
  pendingApprovals(): { approvalId: string; goalId: string }[] {
    return this.#states.flatMap((state) =>
      state.approvalId === null ? [] : [{ approvalId: state.approvalId, goalId: state.goalId }],
    );
  }

  snapshot(): GoalTrackerSnapshot {
    return structuredClone({ goals: this.#states, flags: this.#flags });
  }

  /** Replaces the tracked state; goals missing from the snapshot start inactive. */
  restore(snapshot: GoalTrackerSnapshot): void {
    const parsed = GoalTrackerSnapshotSchema.parse(snapshot);
    const byId = new Map(parsed.goals.map((state) => [state.goalId, state]));
    this.#states = this.#goals.map(
      (goal) =>
        byId.get(goal.id) ?? {
          goalId: goal.id,
          status: 'inactive',
          cursor: null,
          approvalId: null,
        },
    );
    this.#flags = { ...parsed.flags };
  }

  #context(
    base: Omit<ConditionContext, 'flags' | 'completedGoals' | 'planDone'>,
    state: GoalState,
  ): ConditionContext {
    const completedGoals = new Set(
      this.#states.filter((s) => s.status === 'completed').map((s) => s.goalId),
    );
    const planDone = state.status === 'active' && state.cursor === null;
    return { ...base, flags: this.#flags, completedGoals, planDone };
  }

  #mayActivate(goal: Goal, context: ConditionContext): boolean {
    const dependenciesDone = goal.dependsOn.every((id) => context.completedGoals.has(id));
    return dependenciesDone && conditionHolds(goal.activation, context);
  }

  #advance(goal: Goal, state: GoalState, tick: number, changes: GoalChange[]): void {
    const next = state.cursor === null ? null : nextLeaf(goal.plan, state.cursor);
    if (next === null) {
      this.#set(goal, state, 'active', null, changes);
      return;
    }
    this.#enter(goal, state, next, tick, changes, 'active');
  }

  /** Moves to a leaf; an approval leaf pauses the goal and requests approval. */
  #enter(
    goal: Goal,
    state: GoalState,
    cursor: PlanCursor,
    tick: number,
    changes: GoalChange[],
    status: GoalStatus,
  ): void {
    const step = stepAt(goal.plan, cursor);
    if (step?.type === 'approval') {
      const approvalId = `${this.#agentId}/${goal.id}/${step.id}/${tick}`;
      state.approvalId = approvalId;
      this.#set(goal, state, 'awaiting_approval', cursor, changes);
      changes.push({
        type: 'approval_requested',
        goalId: goal.id,
        stepId: step.id,
        approvalId,
        prompt: step.prompt,
      });
      return;
    }
    this.#set(goal, state, status, cursor, changes);
  }

  #set(
    goal: Goal,
    state: GoalState,
    status: GoalStatus,
    cursor: PlanCursor | null,
    changes: GoalChange[],
  ): void {
    state.status = status;
    state.cursor = cursor === null ? null : [...cursor];
    const step = cursor === null ? undefined : stepAt(goal.plan, cursor);
    changes.push({
      type: 'goal_changed',
      goalId: goal.id,
      status,
      stepId: step?.id ?? null,
      stepPath: cursor === null ? [] : stepPath(goal.plan, cursor),
      cursor: state.cursor,
    });
  }
}
