import { GaltError } from '@galt/core';
import {
  type AdjudicationRecord,
  AdjudicationRecordSchema,
  formatIssues,
  type MemoryCandidate,
  MemoryCandidateSchema,
  parseWith,
  type ValidationIssue,
} from '@galt/protocol';

/** A memory write request after validation. */
export interface WriteRequest {
  readonly candidate: MemoryCandidate;
  readonly adjudication: AdjudicationRecord;
  readonly expectedVersion: number;
}

/**
 * Validates a memory write: both records by schema, the adjudication must accept this very
 * candidate, and the expected version must be a non-negative integer. `index` is the item's
 * position in a `writeMany` batch; it prefixes the message and every issue path.
 */
export function validateWriteRequest(
  candidate: unknown,
  adjudication: unknown,
  expectedVersion: unknown,
  index?: number,
): WriteRequest {
  const at = index === undefined ? [] : [index];
  const label = index === undefined ? '' : `memory write ${index}: `;
  const parsedCandidate = parseWith(MemoryCandidateSchema, candidate);
  if (!parsedCandidate.ok) {
    const issues = prefixIssues([...at, 'candidate'], parsedCandidate.issues);
    throw invalid(`${label}memory candidate is invalid: ${formatIssues(issues)}`, issues);
  }
  const parsedAdjudication = parseWith(AdjudicationRecordSchema, adjudication);
  if (!parsedAdjudication.ok) {
    const issues = prefixIssues([...at, 'adjudication'], parsedAdjudication.issues);
    throw invalid(`${label}adjudication is invalid: ${formatIssues(issues)}`, issues);
  }
  if (typeof expectedVersion !== 'number' || !Number.isSafeInteger(expectedVersion)) {
    throw invalidVersion(label, expectedVersion);
  }
  if (expectedVersion < 0) throw invalidVersion(label, expectedVersion);
  const request = {
    candidate: parsedCandidate.value,
    adjudication: parsedAdjudication.value,
    expectedVersion,
  };
  checkAdjudicationMatches(request, label);
  return request;
}

function checkAdjudicationMatches({ candidate, adjudication }: WriteRequest, label: string): void {
  if (adjudication.decision !== 'accept') {
    throw invalid(
      `${label}adjudication of candidate ${adjudication.candidateId} is ${adjudication.decision}; ` +
        'only accepted candidates are written. Record other decisions with ledger.append',
    );
  }
  const mismatched = (['candidateId', 'agentId', 'subject'] as const).filter(
    (field) => candidate[field] !== adjudication[field],
  );
  if (mismatched.length > 0) {
    throw invalid(
      `${label}adjudication does not belong to candidate ${candidate.candidateId}: ` +
        `${mismatched.join(', ')} differ`,
    );
  }
}

function invalidVersion(label: string, expectedVersion: unknown): GaltError {
  return invalid(
    `${label}expectedVersion ${String(expectedVersion)} is invalid; pass the version read, 0 if none`,
  );
}

function prefixIssues(
  prefix: readonly (string | number)[],
  issues: readonly ValidationIssue[],
): ValidationIssue[] {
  return issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
}

function invalid(message: string, issues?: readonly ValidationIssue[]): GaltError {
  return new GaltError('invalid_input', message, {
    remedy: 'Pass the candidate, its accepting adjudication and the version last read',
    ...(issues === undefined ? {} : { issues }),
  });
}
