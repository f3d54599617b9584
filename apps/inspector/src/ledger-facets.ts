import type { LedgerRecord } from '@galt/protocol';
import { asObject, type JsonObject, stringField } from './payload-fields.js';

/** Agent and safety layer of a ledger record, which the timeline filters on. */
export interface LedgerFacets {
  agentId: string | null;
  layer: string | null;
  summary: string;
}

/** Payload fields that wrap the record's main object, in the order they are searched. */
const NESTED_KEYS = ['adjudication', 'record', 'debt', 'memory'] as const;
/** Fields that name a safety layer, most specific first. */
const LAYER_KEYS = ['violationLayer', 'decidingLayer', 'layer', 'dependencyLayer'] as const;

function firstString(objects: readonly JsonObject[], keys: readonly string[]): string | null {
  for (const key of keys) {
    for (const object of objects) {
      const value = stringField(object, key);
      if (value !== null && value !== 'none') return value;
    }
  }
  return null;
}

/** Finds the agent, the layer and a one-line summary of a ledger record's payload. */
export function ledgerFacets(record: LedgerRecord): LedgerFacets {
  const payload = record.payload;
  const objects: JsonObject[] = [payload];
  for (const key of NESTED_KEYS) {
    const nested = asObject(payload[key]);
    if (nested !== null) objects.push(nested);
  }
  const summary =
    firstString(objects, ['reason', 'decision', 'outcome', 'memoryId', 'runId']) ?? record.kind;
  return {
    agentId: firstString(objects, ['agentId']),
    layer: firstString(objects, LAYER_KEYS),
    summary,
  };
}
