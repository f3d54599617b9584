import { ErrorPayloadSchema } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { errorMessage, GaltError, isGaltError } from './errors.js';
import { createMemoryLogger, noopLogger } from './logger.js';

describe('GaltError', () => {
  it('keeps code, remedy and issues', () => {
    const issues = [{ path: ['a', 0], code: 'too_small', message: 'too small' }];
    const error = new GaltError('invalid_input', 'value is invalid', { remedy: 'Fix it', issues });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GaltError');
    expect(error.code).toBe('invalid_input');
    expect(error.remedy).toBe('Fix it');
    expect(error.issues).toEqual(issues);
  });

  it('converts to a protocol error payload', () => {
    const error = new GaltError('not_found', 'memory m1 not found', { remedy: 'Check the id' });
    const payload = error.toPayload();
    expect(ErrorPayloadSchema.parse(payload)).toEqual(payload);
    expect(payload.message).toBe('memory m1 not found. Check the id');
  });

  it('leaves remedy absent when not given', () => {
    const error = new GaltError('internal', 'broken');
    expect(error.remedy).toBeUndefined();
    expect(error.toPayload().message).toBe('broken');
  });

  it('keeps the cause', () => {
    const cause = new Error('disk');
    expect(new GaltError('storage_full', 'write failed', { cause }).cause).toBe(cause);
  });

  it('isGaltError checks the code', () => {
    const error = new GaltError('version_conflict', 'stale');
    expect(isGaltError(error)).toBe(true);
    expect(isGaltError(error, 'version_conflict')).toBe(true);
    expect(isGaltError(error, 'internal')).toBe(false);
    expect(isGaltError(new Error('x'))).toBe(false);
  });

  it('errorMessage handles non-errors', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
  });
});

describe('loggers', () => {
  it('noopLogger accepts every level', () => {
    expect(() => {
      noopLogger.debug('a');
      noopLogger.info('b', { x: 1 });
      noopLogger.warn('c');
      noopLogger.error('d');
    }).not.toThrow();
  });

  it('memory logger records entries in order', () => {
    const logger = createMemoryLogger();
    logger.info('started', { runId: 'r1' });
    logger.warn('slow');
    expect(logger.entries).toEqual([
      { level: 'info', message: 'started', fields: { runId: 'r1' } },
      { level: 'warn', message: 'slow' },
    ]);
    expect(logger.entriesAt('warn')).toHaveLength(1);
    logger.clear();
    expect(logger.entries).toHaveLength(0);
  });
});
