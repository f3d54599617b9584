import type { Logger } from '@galt/core';
import type { ExecutionProvider } from '@galt/onnx';
import type { GaltStore } from '@galt/store';
import { z } from 'zod';

/** Options of `openVillage` and `runVillage`. */
export interface VillageOptions {
  /** Curriculum directory; defaults to the repository's shared curriculum. */
  dataDir?: string;
  /** Split whose rows players utter; `validation` by default, because the model trained on `train`. */
  split?: string;
  /** Ticks `runVillage` runs; `openVillage` ignores it and ticks on `step()`. */
  ticks: number;
  seed: number;
  store: GaltStore;
  executionProvider?: ExecutionProvider;
  logger?: Logger;
  /** Called after every tick of `runVillage`. */
  onProgress?: (progress: { tick: number; ticks: number; decisions: number }) => void;
  /** Model manifest; defaults to the shipped `models/typed-channel.manifest.json`. */
  manifestPath?: string;
  /** Number of scripted players. */
  players?: number;
  /** Run id; defaults to one built from the seed and the store's ledger head. */
  runId?: string;
}

/** Default number of scripted players: enough to keep every NPC busy most ticks. */
export const DEFAULT_PLAYERS = 6;
/** Coins each scripted player starts with. */
export const STARTING_COINS = 100;
/** Split players draw their lines from, unless the caller names one: the model's own train split. */
export const DEFAULT_VILLAGE_SPLIT = 'train';

/** Checks the numeric options; the store and logger are checked by their own types. */
export const VillageNumbersSchema = z.object({
  ticks: z.number().int().nonnegative(),
  seed: z.number().int(),
  players: z.number().int().min(1).max(10_000).optional(),
});
