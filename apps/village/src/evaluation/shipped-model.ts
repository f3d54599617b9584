import { join } from 'node:path';
import { GaltError, type Logger } from '@galt/core';
import { type ExecutionProvider, loadManifestedModel } from '@galt/onnx';
import type { ModelManifest } from '@galt/protocol';
import { z } from 'zod';
import { MODEL_NAME } from '../model/model-manifest.js';
import { defaultModelDir } from '../model/train-typed-channel.js';
import { TypedChannelModel } from '../model/typed-channel-model.js';
import { VillageDecisionModel } from '../model/village-decision-model.js';

/** Model location and execution settings. */
export interface ModelSource {
  /** Path of the model manifest; defaults to the shipped `models/typed-channel.manifest.json`. */
  manifestPath?: string;
  executionProvider?: ExecutionProvider;
  logger?: Logger;
}

/** Returns the path of the shipped model manifest. */
export function defaultManifestPath(): string {
  return join(defaultModelDir(), `${MODEL_NAME}.manifest.json`);
}

const FeatureDimensionSchema = z.object({ featureDimension: z.number().int().positive() });

/** Opens the model a manifest describes, after checking its digest. */
export async function openManifestedModel(
  source: ModelSource = {},
): Promise<{ model: TypedChannelModel; manifest: ModelManifest; bytes: Uint8Array }> {
  const { manifest, bytes } = loadManifestedModel(source.manifestPath ?? defaultManifestPath());
  const shape = FeatureDimensionSchema.safeParse(manifest.metadata);
  if (!shape.success) {
    throw new GaltError('model_mismatch', `manifest ${manifest.name} has no featureDimension`, {
      remedy: 'rebuild the model with `galt train`',
    });
  }
  const options: Parameters<typeof TypedChannelModel.create>[1] = {
    featureDimension: shape.data.featureDimension,
  };
  if (source.executionProvider !== undefined) options.executionProvider = source.executionProvider;
  if (source.logger !== undefined) options.logger = source.logger;
  return { model: await TypedChannelModel.create(bytes, options), manifest, bytes };
}

/**
 * Opens the model a manifest describes as the runtime's decision model, with its sparse-input
 * session. The caller closes it.
 */
export async function openShippedDecisionModel(
  source: ModelSource = {},
): Promise<VillageDecisionModel> {
  const { model, bytes } = await openManifestedModel(source);
  try {
    return await VillageDecisionModel.create(model, bytes);
  } catch (error) {
    await model.close();
    throw error;
  }
}
