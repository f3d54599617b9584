import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { GaltError } from '@galt/core';
import { type ParseResult, parseWith } from '@galt/protocol';
import type { z } from 'zod';

/** A row that could not be used, with the file, the 1-based line and what was wrong. */
export interface LoadIssue {
  file: string;
  line: number;
  path: (string | number)[];
  message: string;
}

/** One non-empty line of a JSONL file, parsed as JSON. */
export interface JsonLine {
  line: number;
  value: unknown;
}

/** Reads a data file as UTF-8, raising `not_found` with the path when it is missing. */
export function readDataFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GaltError('not_found', `cannot read data file ${path}: ${reason}`, {
      remedy: 'pass --data DIR pointing at a galt-curriculum directory',
    });
  }
}

/** Parses JSONL text line by line; a line that is not JSON becomes an issue and is skipped. */
export function parseJsonLines(text: string, file: string, issues: LoadIssue[]): JsonLine[] {
  const lines: JsonLine[] = [];
  const rawLines = text.split('\n');
  for (let index = 0; index < rawLines.length; index += 1) {
    const raw = rawLines[index]?.trim() ?? '';
    if (raw.length === 0) continue;
    try {
      lines.push({ line: index + 1, value: JSON.parse(raw) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      issues.push({
        file: basename(file),
        line: index + 1,
        path: [],
        message: `invalid JSON: ${message}`,
      });
    }
  }
  return lines;
}

/** Validates one value; on failure records each zod issue against the file and line. */
export function validateLine<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  line: number,
  issues: LoadIssue[],
): z.output<S> | undefined {
  const result: ParseResult<z.output<S>> = parseWith(schema, value);
  if (result.ok) return result.value;
  for (const issue of result.issues) {
    issues.push({ file: basename(file), line, path: [...issue.path], message: issue.message });
  }
  return undefined;
}

/** Formats an issue as `file:line path: message`. */
export function formatLoadIssue(issue: LoadIssue): string {
  const where = issue.path.length > 0 ? ` ${issue.path.join('.')}` : '';
  return `${issue.file}:${issue.line}${where}: ${issue.message}`;
}
