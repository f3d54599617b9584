import type { Server } from 'node:http';
import { GaltError, type Logger, noopLogger } from '@galt/core';
import { formatIssues, type ValidationIssue } from '@galt/protocol';
import type { WorldFeed } from './world-feed.js';

/** Default port of the event server; pass 0 to let the system pick a free one. */
export const DEFAULT_PORT = 8787;

/** Default maximum client frame size; client messages are small JSON objects. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Default bytes a client may have buffered before the server skips events for it: room for a few
 * ticks of a 1,000-agent world, whose events take about 1.3 MB per tick, so a client that keeps
 * up never gets a `slow_consumer` gap.
 */
export const DEFAULT_QUEUE_LIMIT_BYTES = 8 * 1024 * 1024;

/** Default interval between heartbeat pings; a client that misses one whole interval is dropped. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

/** Default time a client has to authenticate after connecting. */
export const DEFAULT_AUTH_TIMEOUT_MS = 10_000;

/** Default count of invalid messages after which a connection is closed. */
export const DEFAULT_MAX_ERRORS_PER_CONNECTION = 100;

/** Options of `startEventServer`. */
export interface EventServerOptions {
  feed: WorldFeed;
  /** Interface to listen on; ignored when `server` is given. */
  host?: string;
  /** Port to listen on, 0 for a free one; ignored when `server` is given. */
  port?: number;
  /** URL path of the WebSocket endpoint. */
  path?: string;
  /** Token clients must present; a random one is generated when absent. */
  token?: string;
  /** Existing, listening HTTP server to attach to instead of creating one. */
  server?: Server;
  logger?: Logger;
  /** Maximum client frame size in bytes; a larger frame closes the connection with 1009. */
  maxPayload?: number;
  /** Bytes a client may have buffered before the server skips events for it and reports a gap. */
  queueLimit?: number;
  /** Milliseconds between heartbeat pings; 0 turns the heartbeat off. */
  heartbeatMs?: number;
  /** Milliseconds a client has to authenticate after connecting. */
  authTimeoutMs?: number;
  /** Invalid messages a connection may send before it is closed. */
  maxErrorsPerConnection?: number;
  /** Milliseconds clock used to rate-limit log entries. */
  now?: () => number;
}

/** Options with every default filled in. */
export interface ResolvedServerOptions {
  feed: WorldFeed;
  server: Server | undefined;
  host: string;
  port: number;
  path: string;
  token: string | undefined;
  logger: Logger;
  maxPayload: number;
  queueLimit: number;
  heartbeatMs: number;
  authTimeoutMs: number;
  maxErrorsPerConnection: number;
  now: () => number;
}

/** Smallest accepted `maxPayload` and `queueLimit`: room for one control message or event. */
const MIN_BUFFER_BYTES = 1024;

/** Fills in defaults and validates the options; throws a GaltError with code `invalid_config`. */
export function resolveServerOptions(options: EventServerOptions): ResolvedServerOptions {
  const resolved: ResolvedServerOptions = {
    feed: options.feed,
    server: options.server,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? DEFAULT_PORT,
    path: options.path ?? '/events',
    token: options.token,
    logger: options.logger ?? noopLogger,
    maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD_BYTES,
    queueLimit: options.queueLimit ?? DEFAULT_QUEUE_LIMIT_BYTES,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    authTimeoutMs: options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS,
    maxErrorsPerConnection: options.maxErrorsPerConnection ?? DEFAULT_MAX_ERRORS_PER_CONNECTION,
    now: options.now ?? Date.now,
  };
  const issues = findOptionIssues(resolved);
  if (issues.length > 0) {
    throw new GaltError('invalid_config', `invalid event server options: ${formatIssues(issues)}`, {
      remedy: 'Fix the listed options and start the server again',
      issues,
    });
  }
  return resolved;
}

function findOptionIssues(options: ResolvedServerOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const check = (ok: boolean, key: string, message: string) => {
    if (!ok) issues.push({ path: [key], code: 'invalid_value', message });
  };
  check(isIntegerIn(options.port, 0, 65_535), 'port', 'expected an integer from 0 to 65535');
  check(options.path.startsWith('/'), 'path', "expected a path that starts with '/'");
  check(options.host.length > 0, 'host', 'expected a host name or address');
  check(
    options.token === undefined || (options.token.length > 0 && options.token.length <= 512),
    'token',
    'expected 1 to 512 characters',
  );
  const minBytes = `expected an integer of at least ${MIN_BUFFER_BYTES} bytes`;
  check(isIntegerIn(options.maxPayload, MIN_BUFFER_BYTES), 'maxPayload', minBytes);
  check(isIntegerIn(options.queueLimit, MIN_BUFFER_BYTES), 'queueLimit', minBytes);
  check(isIntegerIn(options.heartbeatMs, 0), 'heartbeatMs', 'expected a non-negative integer');
  check(isIntegerIn(options.authTimeoutMs, 1), 'authTimeoutMs', 'expected a positive integer');
  check(
    isIntegerIn(options.maxErrorsPerConnection, 1),
    'maxErrorsPerConnection',
    'expected a positive integer',
  );
  return issues;
}

function isIntegerIn(value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
