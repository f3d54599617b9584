import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { GaltError } from '@galt/core';
import { z } from 'zod';
import { type LoadIssue, parseJsonLines, readDataFile, validateLine } from './jsonl.js';
import {
  type LanguageRow,
  LanguageRowSchema,
  type MemoryRow,
  MemoryRowSchema,
  type PacketMetadata,
  PacketMetadataSchema,
  type RoutingRow,
  RoutingRowSchema,
  STREAMS,
} from './schemas.js';

/** A memory row, with its packet metadata when the row was built from a contrast packet. */
export type CurriculumMemoryRow = MemoryRow & { packet: PacketMetadata | null };

/** One split of the curriculum, rows grouped by stream, plus every row that was skipped. */
export interface Curriculum {
  split: string;
  file: string;
  /** SHA-256 hex of the split file's bytes. */
  digest: string;
  language: LanguageRow[];
  routing: RoutingRow[];
  memory: CurriculumMemoryRow[];
  issues: LoadIssue[];
}

const SplitNameSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'a split is a plain file stem');
const StreamTagSchema = z.object({ stream: z.enum(STREAMS) });
const PacketHolderSchema = z.object({ metadata: PacketMetadataSchema });

/**
 * Loads `<dir>/<split>.jsonl`. Malformed rows are skipped and listed in `issues` with file and
 * line; a missing file raises `not_found`.
 */
export function loadCurriculum(dir: string, split: string): Curriculum {
  const splitName = SplitNameSchema.safeParse(split);
  if (!splitName.success) {
    throw new GaltError('invalid_input', `split "${split}" is invalid`, {
      remedy: 'use train or validation',
    });
  }
  return loadCurriculumFile(join(dir, `${split}.jsonl`), split);
}

/** Loads one curriculum JSONL file; `split` names it in the result (default: the file stem). */
export function loadCurriculumFile(file: string, split = basename(file, '.jsonl')): Curriculum {
  const text = readDataFile(file);
  const curriculum: Curriculum = {
    split,
    file,
    digest: createHash('sha256').update(text).digest('hex'),
    language: [],
    routing: [],
    memory: [],
    issues: [],
  };
  for (const { line, value } of parseJsonLines(text, file, curriculum.issues)) {
    addRow(curriculum, value, line);
  }
  return curriculum;
}

function addRow(curriculum: Curriculum, value: unknown, line: number): void {
  const { file, issues } = curriculum;
  const tag = validateLine(StreamTagSchema, value, file, line, issues);
  if (tag === undefined) return;
  if (tag.stream === 'fineweb_edu_lm') {
    const row = validateLine(LanguageRowSchema, value, file, line, issues);
    if (row !== undefined) curriculum.language.push(row);
  } else if (tag.stream === 'teacher_query_routing') {
    const row = validateLine(RoutingRowSchema, value, file, line, issues);
    if (row !== undefined) curriculum.routing.push(row);
  } else {
    const row = validateLine(MemoryRowSchema, value, file, line, issues);
    if (row !== undefined) curriculum.memory.push(withPacket(row, file, line, issues));
  }
}

/** Rows whose metadata names a packet case must carry complete packet metadata. */
function withPacket(
  row: MemoryRow,
  file: string,
  line: number,
  issues: LoadIssue[],
): CurriculumMemoryRow {
  if (!('case' in row.metadata)) return { ...row, packet: null };
  const parsed = validateLine(PacketHolderSchema, row, file, line, issues);
  const packet = parsed?.metadata;
  if (packet === undefined) {
    issues.push({
      file: basename(file),
      line,
      path: ['metadata'],
      message: 'packet metadata is incomplete, so the row is kept without layer ids',
    });
  }
  return { ...row, packet: packet ?? null };
}
