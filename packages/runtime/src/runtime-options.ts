import { GaltError } from '@galt/core';
import type { RuntimeOptions } from './runtime-types.js';

/** Inputs kept per agent for the safety screen: a few exchanges of one conversation. */
export const DEFAULT_TURN_WINDOW_SIZE = 8;

/** Throws `invalid_config` when the runtime options lack a run id, an integer seed or a model. */
export function checkOptions(options: RuntimeOptions): void {
  if (typeof options.runId !== 'string' || options.runId.length === 0) {
    throw new GaltError('invalid_config', 'createRuntime: runId is missing', {
      remedy: 'Pass a non-empty runId',
    });
  }
  if (!Number.isSafeInteger(options.seed)) {
    throw new GaltError('invalid_config', `createRuntime: seed ${options.seed} is not an integer`, {
      remedy: 'Pass an integer seed',
    });
  }
  if (options.model === undefined || typeof options.model.infer !== 'function') {
    throw new GaltError('invalid_config', 'createRuntime: model is missing', {
      remedy: 'Pass a DecisionModel, such as LinearDecisionModel.random(...)',
    });
  }
}

/** Records the run in the store, with the model shape a replay needs, unless it exists already. */
export function startRun(options: RuntimeOptions): void {
  const store = options.store;
  if (store === undefined || store.getRun(options.runId) !== null) return;
  const model = options.model;
  store.startRun({
    runId: options.runId,
    seed: options.seed,
    modelDigest: model.digest,
    config: {
      ...options.config,
      featureDimension: model.featureDimension,
      heads: { ...model.heads },
    },
  });
}
