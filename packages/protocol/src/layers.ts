import { z } from 'zod';

/**
 * Safety layers, lowest first: L0 viability, L1 social/consent/harm, L2 workflow, L3 preference.
 * `none` marks the absence of a violation.
 */
export const SAFETY_LAYERS = ['L0', 'L1', 'L2', 'L3'] as const;
export const SafetyLayerSchema = z.enum(SAFETY_LAYERS);
export type SafetyLayer = z.infer<typeof SafetyLayerSchema>;

export const ViolationLayerSchema = z.enum([...SAFETY_LAYERS, 'none']);
export type ViolationLayer = z.infer<typeof ViolationLayerSchema>;

/** Numeric layer ids as the curriculum stores them: 0–3 for L0–L3, 4 for none. */
export const LAYER_NONE_ID = 4 as const;

export function layerId(layer: ViolationLayer): number {
  return layer === 'none' ? LAYER_NONE_ID : SAFETY_LAYERS.indexOf(layer);
}

export function layerFromId(id: number): ViolationLayer {
  if (id === LAYER_NONE_ID) return 'none';
  const layer = SAFETY_LAYERS[id];
  if (layer === undefined) throw new RangeError(`layer id ${id} is invalid; expected 0-4`);
  return layer;
}

/** Layers whose violations block outright (L0, L1); L2 and L3 become residual debt. */
export function isHardLayer(layer: ViolationLayer): boolean {
  return layer === 'L0' || layer === 'L1';
}
