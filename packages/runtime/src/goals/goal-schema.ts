import { AgentActionKindSchema } from '@galt/protocol';
import { z } from 'zod';

const Id = z.string().min(1).max(200);

/** A condition over an agent's observations, flags and goals, checked once per tick. */
export const ConditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('always') }),
  z.object({ kind: z.literal('never') }),
  /** Holds on a tick where the agent observed a world event of this kind (and matching text). */
  z.object({
    kind: z.literal('observed'),
    eventKind: z.string().min(1),
    textIncludes: z.string().min(1).optional(),
  }),
  z.object({ kind: z.literal('tick_at_least'), tick: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('goal_completed'), goalId: Id }),
  /** Holds when the agent's flag has the given value; `equals` defaults to true. */
  z.object({ kind: z.literal('flag'), name: Id, equals: z.boolean().optional() }),
  /** Holds once the goal's plan has run its last step. */
  z.object({ kind: z.literal('plan_done') }),
]);
export type Condition = z.infer<typeof ConditionSchema>;

const ActionStepSchema = z.object({
  type: z.literal('action'),
  id: Id,
  action: AgentActionKindSchema,
  utterance: z.string().max(2_000).optional(),
  targetId: Id.optional(),
  /** Flag set on the agent once the step has run, for conditions of later goals. */
  setsFlag: Id.optional(),
});

const ApprovalStepSchema = z.object({
  type: z.literal('approval'),
  id: Id,
  prompt: z.string().min(1).max(2_000),
});

const WaitStepSchema = z.object({
  type: z.literal('wait'),
  id: Id,
  until: ConditionSchema,
});

/** A node of a goal's plan tree: an action, an approval pause, a wait, or a nested sequence. */
export type PlanStep =
  | z.infer<typeof ActionStepSchema>
  | z.infer<typeof ApprovalStepSchema>
  | z.infer<typeof WaitStepSchema>
  | { type: 'sequence'; id: string; steps: PlanStep[] };

const SequenceStepSchema = z.object({
  type: z.literal('sequence'),
  id: Id,
  get steps() {
    return z.array(PlanStepSchema).min(1);
  },
});

export const PlanStepSchema: z.ZodType<PlanStep> = z.discriminatedUnion('type', [
  ActionStepSchema,
  ApprovalStepSchema,
  WaitStepSchema,
  SequenceStepSchema,
]);

/** A goal: when it becomes active, when it counts as done, what it waits for, and its plan. */
export const GoalSchema = z.object({
  id: Id,
  /** Higher runs first among active goals. */
  priority: z.number().int().default(0),
  activation: ConditionSchema.default({ kind: 'always' }),
  completion: ConditionSchema.default({ kind: 'plan_done' }),
  /** Goals that must be completed before this one may activate. */
  dependsOn: z.array(Id).default([]),
  plan: PlanStepSchema,
});
export type Goal = z.infer<typeof GoalSchema>;
export type GoalInput = z.input<typeof GoalSchema>;

/** Lists the ids of every step in a plan tree, depth first. */
export function planStepIds(step: PlanStep): string[] {
  if (step.type !== 'sequence') return [step.id];
  return [step.id, ...step.steps.flatMap(planStepIds)];
}
