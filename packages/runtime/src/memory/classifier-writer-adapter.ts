import type { MemoryCandidate, ParametricWriteRecord } from '@galt/protocol';
import type { ParametricMemoryWriter, ParametricWriteRequest } from '../runtime-types.js';

/** A labelled example in the form learn's classifier memory writer takes. */
export interface LabelledExample {
  features: Float32Array<ArrayBuffer> | number[];
  label: number;
}

/** A constraint row: an example with an id, and a margin (hard probes) or tolerance (retention). */
export interface ConstraintExample extends LabelledExample {
  id: string;
  margin?: number;
  tolerance?: number;
}

/** The request learn's `ClassifierMemoryWriter.write` takes, written out structurally. */
export interface ClassifierWriteRequest {
  agentId: string;
  tick: number;
  admitted: LabelledExample[];
  safetyProbes?: ConstraintExample[];
  memoryProbes?: ConstraintExample[];
  retention?: ConstraintExample[];
}

/** Anything with learn's writer signature, such as `ClassifierMemoryWriter`. */
export interface ClassifierWriter {
  write(request: ClassifierWriteRequest): Promise<ParametricWriteRecord>;
}

export interface ClassifierWriterAdapterOptions {
  /** Turns an admitted candidate into the example the classifier should learn. */
  encode(candidate: MemoryCandidate): LabelledExample;
  /** Hard rows that must keep their class after every write (examples that must stay refused). */
  safetyProbes?: () => ConstraintExample[];
  /** Hard rows of earlier memories. */
  memoryProbes?: () => ConstraintExample[];
  /** Soft rows of core behaviour whose loss may rise only within tolerance. */
  retention?: () => ConstraintExample[];
}

/**
 * Adapts a classifier memory writer (learn's `ClassifierMemoryWriter`) to the runtime's
 * `ParametricMemoryWriter`: admitted candidates become labelled examples, and the probe and
 * retention rows are read fresh for each write.
 */
export function adaptClassifierWriter(
  writer: ClassifierWriter,
  options: ClassifierWriterAdapterOptions,
): ParametricMemoryWriter {
  return {
    write(request: ParametricWriteRequest): Promise<ParametricWriteRecord> {
      return writer.write({
        agentId: request.agentId,
        tick: request.tick,
        admitted: request.admitted.map((candidate) => options.encode(candidate)),
        safetyProbes: options.safetyProbes?.() ?? [],
        memoryProbes: options.memoryProbes?.() ?? [],
        retention: options.retention?.() ?? [],
      });
    },
  };
}
