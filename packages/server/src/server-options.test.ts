import { isGaltError } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { InMemoryWorldFeed } from './in-memory-feed.js';
import { DEFAULT_PORT, resolveServerOptions } from './server-options.js';

const feed = new InMemoryWorldFeed({ runId: 'options' });

describe('resolveServerOptions', () => {
  it('fills in defaults', () => {
    const options = resolveServerOptions({ feed });
    expect(options.host).toBe('127.0.0.1');
    expect(options.port).toBe(DEFAULT_PORT);
    expect(options.path).toBe('/events');
    expect(options.token).toBeUndefined();
  });

  it('rejects invalid values with every path', () => {
    let caught: unknown;
    try {
      resolveServerOptions({ feed, port: 70_000, path: 'events', maxPayload: 10, heartbeatMs: -1 });
    } catch (error) {
      caught = error;
    }
    expect(isGaltError(caught, 'invalid_config')).toBe(true);
    const paths = isGaltError(caught) ? caught.issues?.map((issue) => issue.path[0]) : [];
    expect(paths).toEqual(['port', 'path', 'maxPayload', 'heartbeatMs']);
  });
});
