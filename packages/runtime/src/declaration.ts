import { type ParseResult, parseWith } from '@galt/protocol';
import { z } from 'zod';
import { type Goal, GoalSchema, planStepIds } from './goals/goal-schema.js';

const Id = z.string().min(1).max(200);

/** Backing of a channel: a model head, hand-written rules, or both. */
export const ChannelBackingSchema = z.enum(['model', 'rules', 'both']);
export type ChannelBacking = z.infer<typeof ChannelBackingSchema>;

export const ChannelDeclarationSchema = z
  .object({
    backing: ChannelBackingSchema,
    /** Name of the model output (head) this channel reads; required when a model backs it. */
    head: Id.optional(),
  })
  .refine((channel) => channel.backing === 'rules' || channel.head !== undefined, {
    message: 'a channel backed by a model needs `head`, the name of the model output it reads',
    path: ['head'],
  });
export type ChannelDeclaration = z.infer<typeof ChannelDeclarationSchema>;

const RulesOnly = { backing: 'rules' } as const;

export const ChannelsSchema = z.object({
  task: ChannelDeclarationSchema.default(RulesOnly),
  safety: ChannelDeclarationSchema.default(RulesOnly),
  memory: ChannelDeclarationSchema.default(RulesOnly),
  tool: ChannelDeclarationSchema.default(RulesOnly),
});
export type Channels = z.infer<typeof ChannelsSchema>;
export const CHANNEL_NAMES = ['task', 'safety', 'memory', 'tool'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Default number of memories recalled per decision: enough context, little per-tick work. */
export const DEFAULT_RECALL_LIMIT = 4;

/** An agent as a game declares it; validated by `AgentDeclarationSchema`. */
export const AgentDeclarationSchema = z
  .object({
    id: Id,
    zone: Id.optional(),
    /**
     * Label of the agent's random stream, split from the run seed. Agents with equal labels draw
     * equal numbers; defaults to the agent id.
     */
    randomStream: Id.optional(),
    /** Name of the task policy registered with the runtime. */
    policy: Id,
    channels: ChannelsSchema.default({
      task: RulesOnly,
      safety: RulesOnly,
      memory: RulesOnly,
      tool: RulesOnly,
    }),
    goals: z.array(GoalSchema).default([]),
    /** Names of registered tools the agent may call. */
    tools: z.array(Id).default([]),
    /** Ids of safety rules screening this agent; empty means every rule of the stack. */
    safetyRules: z.array(Id).default([]),
    memory: z
      .object({
        recallLimit: z.number().int().min(0).max(64).default(DEFAULT_RECALL_LIMIT),
      })
      .default({ recallLimit: DEFAULT_RECALL_LIMIT }),
  })
  .superRefine((declaration, context) => {
    for (const issue of goalIssues(declaration.goals)) context.addIssue(issue);
    for (const index of duplicateIndexes(declaration.tools)) {
      context.addIssue({
        code: 'custom',
        path: ['tools', index],
        message: `tool '${declaration.tools[index]}' is listed twice; list each tool once`,
      });
    }
  });
export type AgentDeclaration = z.infer<typeof AgentDeclarationSchema>;
export type AgentDeclarationInput = z.input<typeof AgentDeclarationSchema>;

type CustomIssue = { code: 'custom'; path: (string | number)[]; message: string };

function duplicateIndexes(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const duplicates: number[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) duplicates.push(index);
    seen.add(value);
  });
  return duplicates;
}

/** Finds duplicate goal or step ids, dependencies on missing goals and dependency cycles. */
function goalIssues(goals: readonly Goal[]): CustomIssue[] {
  const issues: CustomIssue[] = [];
  const ids = goals.map((goal) => goal.id);
  for (const index of duplicateIndexes(ids)) {
    issues.push({
      code: 'custom',
      path: ['goals', index, 'id'],
      message: `goal id '${ids[index]}' is used twice; give each goal a unique id`,
    });
  }
  goals.forEach((goal, index) => {
    for (const stepIndex of duplicateIndexes(planStepIds(goal.plan))) {
      issues.push({
        code: 'custom',
        path: ['goals', index, 'plan'],
        message: `duplicate plan step id (step ${stepIndex} in depth-first order)`,
      });
    }
    goal.dependsOn.forEach((dependency, dependencyIndex) => {
      if (!ids.includes(dependency)) {
        issues.push({
          code: 'custom',
          path: ['goals', index, 'dependsOn', dependencyIndex],
          message: `goal '${dependency}' is not declared`,
        });
      }
    });
  });
  const cycle = findDependencyCycle(goals);
  if (cycle !== null) {
    issues.push({
      code: 'custom',
      path: ['goals', cycle.index, 'dependsOn'],
      message: `goal dependencies form a cycle: ${cycle.ids.join(' -> ')}`,
    });
  }
  return issues;
}

function findDependencyCycle(goals: readonly Goal[]): { index: number; ids: string[] } | null {
  const byId = new Map(goals.map((goal) => [goal.id, goal]));
  const finished = new Set<string>();
  const visit = (id: string, trail: string[]): string[] | null => {
    if (trail.includes(id)) return [...trail.slice(trail.indexOf(id)), id];
    if (finished.has(id)) return null;
    for (const dependency of byId.get(id)?.dependsOn ?? []) {
      const cycle = visit(dependency, [...trail, id]);
      if (cycle !== null) return cycle;
    }
    finished.add(id);
    return null;
  };
  for (const [index, goal] of goals.entries()) {
    const cycle = visit(goal.id, []);
    if (cycle !== null) return { index, ids: cycle };
  }
  return null;
}

/** Validates an agent declaration; mistakes are returned as issues with paths. */
export function parseAgentDeclaration(input: unknown): ParseResult<AgentDeclaration> {
  return parseWith(AgentDeclarationSchema, input);
}
