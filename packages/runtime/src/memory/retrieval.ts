import { filterAccessible, hashedNgramFeatures } from '@galt/core';
import type { MemoryRecord, ViolationLayer } from '@galt/protocol';

/** Weights of the retrieval score terms. Each term lies in [0, 1], except relevance in [-1, 1]. */
export interface RetrievalWeights {
  subject: number;
  relevance: number;
  recency: number;
  importance: number;
}

/** Default weights: a memory about the speaker matters most, then the utterance text, then age. */
export const DEFAULT_RETRIEVAL_WEIGHTS: RetrievalWeights = Object.freeze({
  subject: 1,
  relevance: 1,
  recency: 0.5,
  importance: 0.5,
});

/** Ticks after which the recency term halves: about a minute of game time at 60 ticks/s. */
export const DEFAULT_RECENCY_HALF_LIFE_TICKS = 3_600;

/** Feature dimension for relevance: collisions stay rare for short utterances. */
export const DEFAULT_RELEVANCE_DIMENSION = 256;

/** Retrieval request: who is involved, the observed text, and the limits that apply. */
export interface RetrievalQuery {
  subjects: readonly string[];
  text: string;
  tick: number;
  violationLayer: ViolationLayer;
  limit: number;
}

/** A recalled memory with its score and the score's terms. */
export interface ScoredMemory {
  record: MemoryRecord;
  score: number;
  subjectMatch: number;
  relevance: number;
  recency: number;
}

export interface RetrievalResult {
  recalled: ScoredMemory[];
  /** Ids of memories the access rule withheld under the current violation layer. */
  quarantined: string[];
}

export interface MemoryRetrieverOptions {
  weights?: RetrievalWeights;
  recencyHalfLifeTicks?: number;
  dimension?: number;
}

/**
 * Scores an agent's active memories against a query by subject match, relevance (cosine of hashed
 * n-gram features), recency and importance, after dropping what the access rule quarantines.
 * Feature vectors of memory contents are cached by memory id, since records never change content.
 */
export class MemoryRetriever {
  readonly #weights: RetrievalWeights;
  readonly #halfLife: number;
  readonly #dimension: number;
  readonly #contentFeatures = new Map<string, Float32Array>();
  readonly #queryFeatures: Float32Array;

  constructor(options: MemoryRetrieverOptions = {}) {
    this.#weights = options.weights ?? DEFAULT_RETRIEVAL_WEIGHTS;
    this.#halfLife = options.recencyHalfLifeTicks ?? DEFAULT_RECENCY_HALF_LIFE_TICKS;
    this.#dimension = options.dimension ?? DEFAULT_RELEVANCE_DIMENSION;
    this.#queryFeatures = new Float32Array(this.#dimension);
  }

  /** Ranks `records` for `query`, highest score first, keeping at most `query.limit`. */
  retrieve(records: readonly MemoryRecord[], query: RetrievalQuery): RetrievalResult {
    const active = records.filter((record) => record.status === 'active');
    const { accessible, quarantined } = filterAccessible(active, query.violationLayer);
    if (query.limit <= 0 || accessible.length === 0) {
      return { recalled: [], quarantined: quarantined.map((record) => record.memoryId) };
    }
    const queryFeatures = hashedNgramFeatures(query.text, this.#dimension, this.#queryFeatures);
    const scored = accessible.map((record) => this.#score(record, query, queryFeatures));
    scored.sort((a, b) => b.score - a.score || a.record.memoryId.localeCompare(b.record.memoryId));
    return {
      recalled: scored.slice(0, query.limit),
      quarantined: quarantined.map((record) => record.memoryId),
    };
  }

  #score(record: MemoryRecord, query: RetrievalQuery, queryFeatures: Float32Array): ScoredMemory {
    const subjectMatch = query.subjects.includes(record.subject) ? 1 : 0;
    const relevance = dot(queryFeatures, this.#featuresOf(record));
    const age = Math.max(0, query.tick - record.tick);
    const recency = 0.5 ** (age / this.#halfLife);
    const weights = this.#weights;
    const score =
      weights.subject * subjectMatch +
      weights.relevance * relevance +
      weights.recency * recency +
      weights.importance * record.importance;
    return { record, score, subjectMatch, relevance, recency };
  }

  #featuresOf(record: MemoryRecord): Float32Array {
    let features = this.#contentFeatures.get(record.memoryId);
    if (features === undefined) {
      features = hashedNgramFeatures(`${record.attribute} ${record.content}`, this.#dimension);
      this.#contentFeatures.set(record.memoryId, features);
    }
    return features;
  }
}

/** Dot product; equals cosine similarity for the L2-normalised feature vectors used here. */
function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += (a[index] ?? 0) * (b[index] ?? 0);
  return sum;
}
