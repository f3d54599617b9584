import { describe, expect, it } from 'vitest';
import { CliError } from './exit-codes.js';
import { BufferedOutput } from './io.js';
import { createStderrLogger, logLevelFromEnv, MAX_REPEATS_PRINTED } from './stderr-logger.js';

describe('createStderrLogger', () => {
  it('prints entries at or above the level with their fields', () => {
    const output = new BufferedOutput(false);
    const logger = createStderrLogger(output, 'warn');
    logger.info('hidden');
    logger.warn('tool call failed', { agentId: 'smith', attempt: 2 });
    logger.error('store closed');
    expect(output.text()).toBe(
      'warn: tool call failed agentId=smith attempt=2\nerror: store closed\n',
    );
  });

  it('counts repeats past the limit and reports them', () => {
    const output = new BufferedOutput(false);
    const logger = createStderrLogger(output, 'warn');
    for (let index = 0; index < MAX_REPEATS_PRINTED + 5; index += 1) logger.warn('trade failed');
    const printed = output.text().trimEnd().split('\n');
    expect(printed).toHaveLength(MAX_REPEATS_PRINTED);
    expect(printed.at(-1)).toContain('further repeats are counted');
    logger.reportSuppressed();
    expect(output.text().trimEnd().split('\n').at(-1)).toBe(
      'warn: trade failed: 5 more not printed',
    );
  });

  it('starts each entry on a new line on a terminal', () => {
    const output = new BufferedOutput(true);
    createStderrLogger(output, 'debug').debug('step');
    expect(output.text()).toBe('\ndebug: step\n');
  });
});

describe('logLevelFromEnv', () => {
  it('defaults to warn and reads GALT_LOG', () => {
    expect(logLevelFromEnv({})).toBe('warn');
    expect(logLevelFromEnv({ GALT_LOG: 'debug' })).toBe('debug');
  });

  it('rejects an unknown level', () => {
    expect(() => logLevelFromEnv({ GALT_LOG: 'loud' })).toThrow(CliError);
  });
});
