import { RandomStateSchema, SeededRandom, TurnWindow, TurnWindowStateSchema } from '@galt/core';
import { type MemoryRecord, type ViolationLayer, ViolationLayerSchema } from '@galt/protocol';
import { z } from 'zod';
import { type AgentDeclaration, AgentDeclarationSchema } from './declaration.js';
import { GoalTracker, GoalTrackerSnapshotSchema } from './goals/goal-tracker.js';

/** Serialisable state of one agent. */
export const AgentSnapshotSchema = z.object({
  declaration: AgentDeclarationSchema,
  random: RandomStateSchema,
  window: TurnWindowStateSchema,
  goals: GoalTrackerSnapshotSchema,
  violationLayer: ViolationLayerSchema,
  paused: z.boolean(),
});
export type AgentSnapshot = z.infer<typeof AgentSnapshotSchema>;

/** One agent's live state inside the runtime. */
export class AgentState {
  readonly id: string;
  readonly declaration: AgentDeclaration;
  readonly window: TurnWindow;
  readonly goals: GoalTracker;
  random: SeededRandom;
  violationLayer: ViolationLayer = 'none';
  paused = false;
  /** Active memories as last read from the store; null until read or after a write. */
  memoryCache: MemoryRecord[] | null = null;

  constructor(declaration: AgentDeclaration, random: SeededRandom, windowSize: number) {
    this.id = declaration.id;
    this.declaration = declaration;
    this.random = random;
    this.window = new TurnWindow(windowSize);
    this.goals = new GoalTracker(declaration.id, declaration.goals);
  }

  snapshot(): AgentSnapshot {
    return {
      declaration: this.declaration,
      random: this.random.snapshot(),
      window: this.window.snapshot(),
      goals: this.goals.snapshot(),
      violationLayer: this.violationLayer,
      paused: this.paused,
    };
  }

  /** Rebuilds an agent from a snapshot; the memory cache is read again from the store. */
  static restore(snapshot: AgentSnapshot, windowSize: number): AgentState {
    const parsed = AgentSnapshotSchema.parse(snapshot);
    const agent = new AgentState(
      parsed.declaration,
      SeededRandom.restore(parsed.random),
      windowSize,
    );
    agent.window.restore(parsed.window);
    agent.goals.restore(parsed.goals);
    agent.violationLayer = parsed.violationLayer;
    agent.paused = parsed.paused;
    return agent;
  }
}
