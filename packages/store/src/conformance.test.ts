import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreConformance } from './conformance.js';
import { openStore } from './store.js';

const directory = mkdtempSync(join(tmpdir(), 'galt-store-conformance-'));
let files = 0;

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describeStoreConformance('sqlite :memory:', () => openStore(':memory:'), { describe, it, expect });

describeStoreConformance(
  'sqlite file',
  () => {
    files += 1;
    return openStore(join(directory, `conformance-${files}.db`));
  },
  { describe, it, expect },
);
