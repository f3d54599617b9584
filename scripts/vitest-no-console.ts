import { afterEach, beforeEach, vi } from 'vitest';

// Libraries never print: a test that writes to the console fails, naming what was printed.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
const printed: string[] = [];

beforeEach(() => {
  printed.length = 0;
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(`console.${method}: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  if (printed.length > 0) {
    const lines = printed.splice(0).slice(0, 5).join('\n');
    throw new Error(`test wrote to the console; inject a logger instead:\n${lines}`);
  }
});
