import { layerId, type SafetyLayer, type ViolationLayer } from '@galt/protocol';

/** Whether a memory may be read under the current violation. */
export type AccessDecision = 'access' | 'quarantine';

/** A gate that decides access from a memory's dependency layer and the active violation layer. */
export type AccessGate = (
  memoryLayer: SafetyLayer,
  violationLayer: ViolationLayer,
) => AccessDecision;

/**
 * Hierarchical access rule: with no violation the memory is accessible. A violation at the
 * memory's own layer or below quarantines it, because what it rests on broke (bottom-up
 * invalidation). A violation above it leaves it accessible (top-down containment).
 */
export function decideAccess(
  memoryLayer: SafetyLayer,
  violationLayer: ViolationLayer,
): AccessDecision {
  if (violationLayer === 'none') return 'access';
  return layerId(violationLayer) <= layerId(memoryLayer) ? 'quarantine' : 'access';
}

/**
 * Comparison gate that quarantines only on a violation at exactly the memory's layer, so it misses
 * bottom-up invalidation.
 */
export function sameLayerOnlyGate(
  memoryLayer: SafetyLayer,
  violationLayer: ViolationLayer,
): AccessDecision {
  return violationLayer === memoryLayer ? 'quarantine' : 'access';
}

/**
 * Comparison gate that quarantines every memory on any violation, so it also destroys access to
 * lower-layer memories that a higher-layer violation does not touch.
 */
export function globalFlushGate(
  _memoryLayer: SafetyLayer,
  violationLayer: ViolationLayer,
): AccessDecision {
  return violationLayer === 'none' ? 'access' : 'quarantine';
}

/** Splits records into accessible and quarantined ones under `violationLayer`, keeping order. */
export function filterAccessible<T extends { dependencyLayer: SafetyLayer }>(
  records: readonly T[],
  violationLayer: ViolationLayer,
  gate: AccessGate = decideAccess,
): { accessible: T[]; quarantined: T[] } {
  const accessible: T[] = [];
  const quarantined: T[] = [];
  for (const record of records) {
    const decision = gate(record.dependencyLayer, violationLayer);
    (decision === 'access' ? accessible : quarantined).push(record);
  }
  return { accessible, quarantined };
}
