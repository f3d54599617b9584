import { formatIssues, parseWith } from '@galt/protocol';
import type { z } from 'zod';
import { GaltError } from './errors.js';

/** Validates snapshot data against `schema`. Throws `invalid_input` naming each invalid path. */
export function parseSnapshot<S extends z.ZodType>(
  schema: S,
  state: unknown,
  owner: string,
): z.output<S> {
  const parsed = parseWith(schema, state);
  if (parsed.ok) return parsed.value;
  throw new GaltError(
    'invalid_input',
    `${owner}: invalid snapshot: ${formatIssues(parsed.issues)}`,
    {
      remedy: `Pass a value returned by ${owner.split('.')[0]}.snapshot()`,
      issues: parsed.issues,
    },
  );
}
