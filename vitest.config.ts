import { defineConfig } from 'vitest/config';

// Each workspace package is its own Vitest project, so `vitest run --project core` runs one.
const projectDirectories = [
  'packages/protocol',
  'packages/core',
  'packages/onnx',
  'packages/store',
  'packages/learn',
  'packages/runtime',
  'packages/server',
  'apps/village',
  'apps/cli',
  'apps/inspector',
  'test',
];

// The `source` export condition points workspace imports at TypeScript sources, not dist.
const sourceConditions = ['source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['source'] } },
  test: {
    setupFiles: [new URL('./scripts/vitest-no-console.ts', import.meta.url).pathname],
    projects: projectDirectories.map((directory) => ({
      extends: true,
      test: {
        name: directory.split('/').at(-1) ?? directory,
        root: directory,
        include: ['src/**/*.test.ts', 'bench/**/*.test.ts', '*.test.ts', 'e2e/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
