import type { ErrorCode, ErrorPayload, ValidationIssue } from '@galt/protocol';

/** Options for a `GaltError` beyond its code and message. */
export interface GaltErrorOptions {
  /** Next step for the caller that fixes the problem. */
  readonly remedy?: string;
  /** Validation problems with their paths, when the error comes from invalid input. */
  readonly issues?: readonly ValidationIssue[];
  readonly cause?: unknown;
}

/** Base error of every galt package: a stable protocol `code`, a message and an optional remedy. */
export class GaltError extends Error {
  readonly code: ErrorCode;
  readonly remedy?: string;
  readonly issues?: readonly ValidationIssue[];

  constructor(code: ErrorCode, message: string, options: GaltErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GaltError';
    this.code = code;
    if (options.remedy !== undefined) this.remedy = options.remedy;
    if (options.issues !== undefined) this.issues = options.issues;
  }

  /** Converts the error to the protocol's error payload, appending the remedy to the message. */
  toPayload(): ErrorPayload {
    const message = this.remedy === undefined ? this.message : `${this.message}. ${this.remedy}`;
    const payload: ErrorPayload = { code: this.code, message };
    if (this.issues !== undefined) payload.issues = [...this.issues];
    return payload;
  }
}

/** Returns true when `value` is a `GaltError`, optionally with the given code. */
export function isGaltError(value: unknown, code?: ErrorCode): value is GaltError {
  return value instanceof GaltError && (code === undefined || value.code === code);
}

/** Returns the message of an unknown thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
