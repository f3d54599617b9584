export {
  GALT_SUBPROTOCOL,
  generateToken,
  TOKEN_SUBPROTOCOL_PREFIX,
  tokensMatch,
} from './auth-token.js';
export {
  runServerBenchmark,
  type ServerBenchmarkOptions,
  type ServerBenchmarkRow,
} from './bench/server-bench.js';
export {
  CATCH_UP_PAGE_SIZE,
  GAP_REASON_NOT_STORED,
  GAP_REASON_SLOW_CONSUMER,
} from './client-session.js';
export { type EventServer, startEventServer } from './event-server.js';
export {
  createHttpRoutes,
  type HttpHandler,
  type HttpRoutesOptions,
  type LedgerReader,
  MAX_HTTP_PAGE,
  type StaticAsset,
} from './http-routes.js';
export {
  type FeedEventInput,
  InMemoryWorldFeed,
  type InMemoryWorldFeedOptions,
  type InMemoryWorldFeedState,
  type NotifyTiming,
} from './in-memory-feed.js';
export {
  DEFAULT_AUTH_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_ERRORS_PER_CONNECTION,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_PORT,
  DEFAULT_QUEUE_LIMIT_BYTES,
  type EventServerOptions,
} from './server-options.js';
export type { ControlCommand, ControlResult, FeedSnapshot, WorldFeed } from './world-feed.js';
