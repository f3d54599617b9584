import { basename, join } from 'node:path';
import { parseJsonWith } from '@galt/protocol';
import { z } from 'zod';
import type { LoadIssue } from './jsonl.js';
import { readDataFile, validateLine } from './jsonl.js';
import {
  type RetainQuestion,
  RetainQuestionSchema,
  type SafetyPrompt,
  SafetyPromptSchema,
} from './schemas.js';

/** The probe sets of a curriculum directory, and the entries that were skipped. */
export interface ProbeSet {
  safety: SafetyPrompt[];
  retain: RetainQuestion[];
  issues: LoadIssue[];
}

/** Folder of the probe files inside a curriculum directory. */
export const PROBE_FOLDER = 'probes';

/**
 * Loads `probes/safety_prompts.json` and `probes/retain_set.json`. Each file is a JSON array;
 * an invalid entry is skipped and reported with its array index as the line.
 */
export function loadProbes(dir: string): ProbeSet {
  const issues: LoadIssue[] = [];
  const safety = loadArray(
    join(dir, PROBE_FOLDER, 'safety_prompts.json'),
    SafetyPromptSchema,
    issues,
  );
  const retain = loadArray(
    join(dir, PROBE_FOLDER, 'retain_set.json'),
    RetainQuestionSchema,
    issues,
  );
  return { safety, retain, issues };
}

function loadArray<S extends z.ZodType>(
  file: string,
  schema: S,
  issues: LoadIssue[],
): z.output<S>[] {
  const parsed = parseJsonWith(z.array(z.unknown()), readDataFile(file));
  if (!parsed.ok) {
    for (const issue of parsed.issues) {
      issues.push({ file: basename(file), line: 0, path: [...issue.path], message: issue.message });
    }
    return [];
  }
  const rows: z.output<S>[] = [];
  parsed.value.forEach((value, index) => {
    const row = validateLine(schema, value, file, index, issues);
    if (row !== undefined) rows.push(row);
  });
  return rows;
}
