import { z } from 'zod';

/** Fields every curriculum row carries, whatever its stream. */
const RowBaseSchema = z.object({
  id: z.string().min(1),
  schema_version: z.string().min(1),
  stage: z.string().min(1),
});

/** A gate target: three numbers in [0, 1]. */
export const GateTargetSchema = z.tuple([
  z.number().min(0).max(1),
  z.number().min(0).max(1),
  z.number().min(0).max(1),
]);
export type GateTarget = z.infer<typeof GateTargetSchema>;

export const RESIDUAL_TARGETS = ['none', 'boundary_ambiguity', 'hard_violation'] as const;
export const ResidualTargetSchema = z.enum(RESIDUAL_TARGETS);
export type ResidualTarget = z.infer<typeof ResidualTargetSchema>;

/** Educational web text, used as ambient chatter. */
export const LanguageRowSchema = RowBaseSchema.extend({
  stream: z.literal('fineweb_edu_lm'),
  text: z.string().min(1),
});
export type LanguageRow = z.infer<typeof LanguageRowSchema>;

export const TEACHER_ACTIONS = ['answer', 'ask_user', 'ask_teacher', 'defer_residual'] as const;
export const TeacherActionSchema = z.enum(TEACHER_ACTIONS);
export type TeacherAction = z.infer<typeof TeacherActionSchema>;

export const KNOWLEDGE_STATES = ['known', 'underspecified', 'unknown', 'unsafe'] as const;
export const KnowledgeStateSchema = z.enum(KNOWLEDGE_STATES);
export type KnowledgeState = z.infer<typeof KnowledgeStateSchema>;

export const MEMORY_TARGETS = ['accepted_trace', 'not_consolidated'] as const;
export const MemoryTargetSchema = z.enum(MEMORY_TARGETS);
export type MemoryTarget = z.infer<typeof MemoryTargetSchema>;

/** A question with the route a teacher-aware agent should take. */
export const RoutingRowSchema = RowBaseSchema.extend({
  stream: z.literal('teacher_query_routing'),
  category: z.string().min(1),
  question: z.string().min(1),
  context: z.string(),
  action: TeacherActionSchema,
  knowledge_state: KnowledgeStateSchema,
  memory_target: z.union([MemoryTargetSchema, z.literal('not_applicable')]),
  residual_target: ResidualTargetSchema,
  gate_target: GateTargetSchema,
  final_answer: z.string(),
  teacher_query: z.string().nullable(),
  teacher_answer: z.string().nullable(),
});
export type RoutingRow = z.infer<typeof RoutingRowSchema>;

export const PACKET_CASES = ['positive', 'no_write', 'constraint'] as const;
export const PacketCaseSchema = z.enum(PACKET_CASES);
export type PacketCase = z.infer<typeof PacketCaseSchema>;

/** Layer ids as the curriculum writes them: 0–3 for L0–L3; violation id 4 means none. */
const MemoryLayerIdSchema = z.number().int().min(0).max(3);
const ViolationLayerIdSchema = z.number().int().min(0).max(4);

/** Metadata of memory rows built from a contrast packet. */
export const PacketMetadataSchema = z.object({
  case: PacketCaseSchema,
  domain: z.string().min(1),
  concept: z.string().min(1),
  source_id: z.string().min(1),
  memory_layer_id: MemoryLayerIdSchema,
  violation_layer_id: ViolationLayerIdSchema,
  hierarchical_access_target: z.union([z.literal(0), z.literal(1)]),
});
export type PacketMetadata = z.infer<typeof PacketMetadataSchema>;

/** A memory candidate with its adjudication targets. */
export const MemoryRowSchema = RowBaseSchema.extend({
  stream: z.literal('galt_adjudicated_memory'),
  category: z.string().min(1),
  context: z.string(),
  candidate_transition: z.string().min(1),
  query: z.string(),
  answer_target: z.string(),
  safety_layer: z.enum(['rule', 'social']),
  targets: z.object({
    action_target: z.enum(['accept', 'reject']),
    gate_target: GateTargetSchema,
    memory_target: MemoryTargetSchema,
    residual_target: ResidualTargetSchema,
  }),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type MemoryRow = z.infer<typeof MemoryRowSchema>;

export const STREAMS = ['fineweb_edu_lm', 'teacher_query_routing', 'galt_adjudicated_memory'];

/** A contrast packet: one positive write case and two contrasts that must not be written. */
export const ContrastPacketSchema = z.object({
  id: z.string().min(1),
  concept: z.string().min(1),
  domain: z.string().min(1),
  positive_write_case: z.string().min(1),
  no_write_contrast: z.string().min(1),
  constraint_contrast: z.string().min(1),
  write_condition: z.string(),
  no_write_condition: z.string(),
  constraint_risk: z.string(),
  retain_probe: z.string(),
  trace: z.string(),
});
export type ContrastPacket = z.infer<typeof ContrastPacketSchema>;

/** A multiple-choice safety question; `safe_label` indexes the safe option. */
export const SafetyPromptSchema = z
  .object({
    category: z.string().min(1),
    question: z.string().min(1),
    options: z.array(z.string()).min(2),
    safe_label: z.number().int().nonnegative(),
  })
  .refine((row) => row.safe_label < row.options.length, {
    message: 'safe_label must index an option',
    path: ['safe_label'],
  });
export type SafetyPrompt = z.infer<typeof SafetyPromptSchema>;

/** A multiple-choice general-knowledge question; `correct_label` indexes the right option. */
export const RetainQuestionSchema = z
  .object({
    category: z.string().min(1),
    question: z.string().min(1),
    options: z.array(z.string()).min(2),
    correct_label: z.number().int().nonnegative(),
  })
  .refine((row) => row.correct_label < row.options.length, {
    message: 'correct_label must index an option',
    path: ['correct_label'],
  });
export type RetainQuestion = z.infer<typeof RetainQuestionSchema>;
