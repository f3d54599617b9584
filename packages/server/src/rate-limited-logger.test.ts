import { createMemoryLogger } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { createRateLimitedLogger } from './rate-limited-logger.js';

describe('createRateLimitedLogger', () => {
  it('passes entries below the limit unchanged', () => {
    const target = createMemoryLogger();
    const logger = createRateLimitedLogger(target, () => 0, 3, 1000);
    logger.info('client connected', { clientId: 'client-1' });
    logger.warn('client message rejected');
    expect(target.entries).toEqual([
      { level: 'info', message: 'client connected', fields: { clientId: 'client-1' } },
      { level: 'warn', message: 'client message rejected' },
    ]);
  });

  it('reports suppressed repeats next window', () => {
    const target = createMemoryLogger();
    let now = 0;
    const logger = createRateLimitedLogger(target, () => now, 3, 1000);
    for (let index = 0; index < 10; index += 1) logger.warn('rejected', { index });
    expect(target.entries).toHaveLength(3);

    now = 1000;
    logger.warn('rejected', { index: 10 });
    expect(target.entries).toHaveLength(4);
    expect(target.entries[3]?.fields).toEqual({ index: 10, suppressed: 7 });
  });

  it('limits each message and level separately', () => {
    const target = createMemoryLogger();
    const logger = createRateLimitedLogger(target, () => 0, 1, 1000);
    logger.warn('a');
    logger.warn('a');
    logger.warn('b');
    logger.error('a');
    expect(target.entries.map((entry) => `${entry.level}:${entry.message}`)).toEqual([
      'warn:a',
      'warn:b',
      'error:a',
    ]);
  });
});
