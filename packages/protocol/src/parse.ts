import type { z } from 'zod';
import type { ValidationIssue } from './errors.js';

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Converts zod issues to plain data with their paths, so callers can report them. */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
    code: issue.code,
    message: issue.message,
  }));
}

/** Validates `input` against `schema`; never throws on bad input. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
): ParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: toValidationIssues(result.error) };
}

/** Parses JSON text and validates it; broken JSON becomes a `malformed_json` issue at the root. */
export function parseJsonWith<S extends z.ZodType>(
  schema: S,
  text: string,
): ParseResult<z.output<S>> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [{ path: [], code: 'malformed_json', message }] };
  }
  return parseWith(schema, input);
}

/** Formats issues as one line each, `path: message`, for error messages and logs. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
