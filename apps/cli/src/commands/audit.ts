import { openStore } from '@galt/store';
import { defineCommand } from '../command.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { flagOption, stringOption } from '../options.js';
import { formatSummary } from '../table.js';
import { resolveExistingDatabase } from './database-file.js';

/** `galt audit`: verifies the ledger's hash chain record by record. */
export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'Verify the hash chain of a run database ledger.',
  description:
    'Recomputes every ledger record hash from the previous hash, sequence number, kind and\n' +
    'canonical payload, and reports the first record that does not match. Exits 1 when the\n' +
    'chain is broken.',
  options: {
    db: stringOption({
      description: 'SQLite database file to audit',
      placeholder: 'PATH',
      default: './galt.db',
    }),
    json: flagOption({ description: 'print the result as one JSON object' }),
  },
  examples: ['galt audit --db ./galt.db', 'galt audit --json'],
  async execute(values, io) {
    const path = resolveExistingDatabase(values.db, io);
    const store = openStore(path, { readOnly: true });
    let verification: ReturnType<typeof store.ledger.verify>;
    try {
      verification = store.ledger.verify();
    } finally {
      store.close();
    }
    if (verification.records === 0 && verification.ok) {
      throw new CliError(
        `database file ${path} contains no ledger records; write one with 'galt run --db ${values.db}'`,
        ExitCode.usage,
      );
    }

    const result = {
      ok: verification.ok,
      records: verification.records,
      firstBadSeq: verification.firstBadSeq,
      reason: verification.reason,
      headHash: verification.headHash,
    };
    if (values.json) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      io.stdout.write(formatSummary({ database: path, ...result }));
      const verdict = result.ok
        ? `ledger verified: ${result.records} records, chain intact`
        : `ledger BROKEN at seq ${result.firstBadSeq}: ${result.reason ?? 'hash mismatch'}`;
      io.stdout.write(`${verdict}\n`);
    }
    return result.ok ? ExitCode.ok : ExitCode.failed;
  },
});
