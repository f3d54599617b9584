import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage, type Logger, noopLogger } from '@galt/core';
import type { ChainVerification, LedgerRecord } from '@galt/protocol';
import { tokensMatch } from './auth-token.js';
import type { WorldFeed } from './world-feed.js';

/** Largest page of records or events one JSON request returns. */
export const MAX_HTTP_PAGE = 1000;
/** Page size when a request names no `limit`. */
const DEFAULT_HTTP_PAGE = 200;

/** Read access to the ledger. `GaltStore['ledger']` from @galt/store implements it. */
export interface LedgerReader {
  read(fromSeq?: number, limit?: number): LedgerRecord[];
  verify(): ChainVerification;
}

/** A file served as is at a fixed path, such as the inspector page and its script. */
export interface StaticAsset {
  path: string;
  contentType: string;
  body: string;
}

/** Options of `createHttpRoutes`. */
export interface HttpRoutesOptions {
  /** Token that JSON routes require as `Authorization: Bearer TOKEN`. */
  token: string;
  feed: WorldFeed;
  ledger: LedgerReader;
  /** Files served without a token, so they must contain no secrets. */
  assets?: readonly StaticAsset[];
  logger?: Logger;
}

/** A request handler for `http.Server`'s `request` event. */
export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Creates the handler of the plain HTTP routes beside the WebSocket endpoint: static assets,
 * and the token-protected JSON routes `GET /api/ledger?fromSeq=&limit=`, `GET /api/verify` and
 * `GET /api/events?fromSeq=&limit=`. Other paths get 404, and methods other than GET get 405.
 */
export function createHttpRoutes(options: HttpRoutesOptions): HttpHandler {
  const logger = options.logger ?? noopLogger;
  const assets = new Map((options.assets ?? []).map((asset) => [asset.path, asset]));
  return (request, response) => {
    try {
      route(request, response, options, assets);
    } catch (error) {
      logger.error('HTTP route failed', { url: request.url, error: errorMessage(error) });
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    }
  };
}

function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpRoutesOptions,
  assets: ReadonlyMap<string, StaticAsset>,
): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: 'only GET is supported' });
    return;
  }
  const asset = assets.get(url.pathname);
  if (asset !== undefined) {
    sendAsset(response, asset);
    return;
  }
  if (!url.pathname.startsWith('/api/')) {
    sendJson(response, 404, { error: `no route for ${url.pathname}` });
    return;
  }
  if (!hasBearerToken(request, options.token)) {
    sendJson(response, 401, {
      error: 'missing or invalid token; send Authorization: Bearer TOKEN',
    });
    return;
  }
  routeApi(url, response, options);
}

function routeApi(url: URL, response: ServerResponse, options: HttpRoutesOptions): void {
  const page = readPage(url.searchParams);
  if (url.pathname === '/api/verify') {
    sendJson(response, 200, options.ledger.verify());
  } else if (typeof page === 'string') {
    sendJson(response, 400, { error: page });
  } else if (url.pathname === '/api/ledger') {
    // The ledger's read starts at its first argument inclusive, and `fromSeq` is exclusive.
    sendJson(response, 200, { records: options.ledger.read(page.fromSeq + 1, page.limit) });
  } else if (url.pathname === '/api/events') {
    const events = options.feed.readEvents(page.fromSeq, page.limit);
    sendJson(response, 200, { headSeq: options.feed.headSeq(), events });
  } else {
    sendJson(response, 404, { error: `no route for ${url.pathname}` });
  }
}

/** Reads `fromSeq` (exclusive, default 0) and `limit`, or returns an error message when invalid. */
function readPage(params: URLSearchParams): { fromSeq: number; limit: number } | string {
  const fromSeq = Number(params.get('fromSeq') ?? '0');
  const limit = Number(params.get('limit') ?? String(DEFAULT_HTTP_PAGE));
  if (!Number.isSafeInteger(fromSeq) || fromSeq < 0) {
    return 'invalid fromSeq: expected a non-negative integer';
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HTTP_PAGE) {
    return `invalid limit: expected an integer from 1 to ${MAX_HTTP_PAGE}`;
  }
  return { fromSeq, limit };
}

function hasBearerToken(request: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] !== undefined && tokensMatch(match[1], token);
}

function sendAsset(response: ServerResponse, asset: StaticAsset): void {
  response.writeHead(200, {
    'Content-Type': asset.contentType,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // The page loads only its own script and talks only to the host that served it.
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
      "connect-src 'self'; img-src 'self' data:",
    'Referrer-Policy': 'no-referrer',
  });
  response.end(asset.body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}
