import type { Condition } from './goal-schema.js';

/** Agent state that goal conditions are checked against on one tick. */
export interface ConditionContext {
  tick: number;
  /** Kinds and texts of the world events the agent observed this tick. */
  observations: readonly { kind: string; text: string }[];
  flags: Readonly<Record<string, boolean>>;
  completedGoals: ReadonlySet<string>;
  /** Whether the goal whose condition is checked has run the last step of its plan. */
  planDone: boolean;
}

/** Checks a goal condition. */
export function conditionHolds(condition: Condition, context: ConditionContext): boolean {
  switch (condition.kind) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'observed':
      return context.observations.some(
        (observation) =>
          observation.kind === condition.eventKind &&
          (condition.textIncludes === undefined ||
            observation.text.toLowerCase().includes(condition.textIncludes.toLowerCase())),
      );
    case 'tick_at_least':
      return context.tick >= condition.tick;
    case 'goal_completed':
      return context.completedGoals.has(condition.goalId);
    case 'flag':
      return (context.flags[condition.name] ?? false) === (condition.equals ?? true);
    case 'plan_done':
      return context.planDone;
  }
}
