import { GaltError } from '@galt/core';
import {
  type AdjudicationRecord,
  AdjudicationRecordSchema,
  formatIssues,
  type MemoryCandidate,
  MemoryCandidateSchema,
  parseWith,
} from '@galt/protocol';

/** A memory write request after validation. */
export interface WriteRequest {
  readonly candidate: MemoryCandidate;
  readonly adjudication: AdjudicationRecord;
}

/**
 * Validates a memory write: both records by schema, the adjudication must accept this very
 * candidate, and the expected version must be a non-negative integer.
 */
export function validateWriteRequest(
  candidate: unknown,
  adjudication: unknown,
  expectedVersion: number,
): WriteRequest {
  const parsedCandidate = parseWith(MemoryCandidateSchema, candidate);
  if (!parsedCandidate.ok) {
    throw invalid(`memory candidate is invalid: ${formatIssues(parsedCandidate.issues)}`);
  }
  const parsedAdjudication = parseWith(AdjudicationRecordSchema, adjudication);
  if (!parsedAdjudication.ok) {
    throw invalid(`adjudication is invalid: ${formatIssues(parsedAdjudication.issues)}`);
  }
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw invalid(
      `expectedVersion ${expectedVersion} is invalid; pass the version read, 0 if none`,
    );
  }
  const request = { candidate: parsedCandidate.value, adjudication: parsedAdjudication.value };
  checkAdjudicationMatches(request);
  return request;
}

function checkAdjudicationMatches({ candidate, adjudication }: WriteRequest): void {
  if (adjudication.decision !== 'accept') {
    throw invalid(
      `adjudication of candidate ${adjudication.candidateId} is ${adjudication.decision}; ` +
        'only accepted candidates are written. Record other decisions with ledger.append',
    );
  }
  const mismatched = (['candidateId', 'agentId', 'subject'] as const).filter(
    (field) => candidate[field] !== adjudication[field],
  );
  if (mismatched.length > 0) {
    throw invalid(
      `adjudication does not belong to candidate ${candidate.candidateId}: ` +
        `${mismatched.join(', ')} differ`,
    );
  }
}

function invalid(message: string): GaltError {
  return new GaltError('invalid_input', message, {
    remedy: 'Pass the candidate, its accepting adjudication and the version last read',
  });
}
