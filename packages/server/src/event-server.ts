import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorMessage } from '@galt/core';
import type { StreamEvent } from '@galt/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { GALT_SUBPROTOCOL, generateToken, readUpgradeToken, tokensMatch } from './auth-token.js';
import { ClientConnection } from './client-connection.js';
import {
  attachSocketHandlers,
  closeClients,
  deliverSafely,
  startHeartbeat,
} from './connection-lifecycle.js';
import { EncodedBatch } from './encoded-batch.js';
import {
  closeHttpServer,
  formatHost,
  listen,
  rejectUpgrade,
  respondToPlainRequest,
} from './http-endpoint.js';
import { createRateLimitedLogger } from './rate-limited-logger.js';
import { type EventServerOptions, resolveServerOptions } from './server-options.js';

/** A running event server. */
export interface EventServer {
  /** WebSocket URL clients connect to, without the token. */
  readonly url: string;
  readonly port: number;
  /** Token clients must present; generated at start unless one was given. */
  readonly token: string;
  /** Closes every client with close code 4005 and stops listening; an attached server stays up. */
  close(): Promise<void>;
}

/**
 * Starts a WebSocket server that streams a `WorldFeed` to authenticated clients.
 *
 * Clients may resume after a sequence number, receive a snapshot when they join late, and are
 * sent a `gap` message naming the events they missed when their outgoing queue was full.
 */
export async function startEventServer(options: EventServerOptions): Promise<EventServer> {
  const resolved = resolveServerOptions(options);
  const token = resolved.token ?? generateToken();
  const logger = createRateLimitedLogger(resolved.logger, resolved.now);
  const httpServer = resolved.server ?? createServer(respondToPlainRequest);
  const connections = new Map<WebSocket, ClientConnection>();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: resolved.maxPayload,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(GALT_SUBPROTOCOL) ? GALT_SUBPROTOCOL : false),
  });
  let nextClientNumber = 1;

  const connect = (
    socket: WebSocket,
    transport: Duplex,
    request: IncomingMessage,
    authenticated: boolean,
  ) => {
    const id = `client-${nextClientNumber++}`;
    const settings = { ...resolved, token, logger };
    const connection = new ClientConnection(id, socket, transport, settings, authenticated);
    connections.set(socket, connection);
    logger.info('client connected', { clientId: id, remoteAddress: request.socket.remoteAddress });
    attachSocketHandlers(socket, connection, resolved, logger, () => connections.delete(socket));
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) =>
      logger.warn('client socket failed', { error: errorMessage(error) }),
    );
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname !== resolved.path) {
      if (resolved.server === undefined) rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    const presented = readUpgradeToken(request);
    if (presented !== undefined && !tokensMatch(presented, token)) {
      logger.warn('upgrade rejected: invalid token', {
        remoteAddress: request.socket.remoteAddress,
      });
      rejectUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) =>
      connect(ws, socket, request, presented !== undefined),
    );
  };

  const broadcast = (events: readonly StreamEvent[]) => {
    if (events.length === 0) return;
    const batch = new EncodedBatch(events);
    const receivers = [...connections.values()];
    for (const connection of receivers) connection.session.cork();
    for (const connection of receivers) deliverSafely(connection, batch, logger);
    for (const connection of receivers) connection.session.uncork();
  };

  const port = await listen(httpServer, resolved);
  const logServerError = (error: Error) =>
    logger.error('HTTP server failed', { error: errorMessage(error) });
  if (resolved.server === undefined) httpServer.on('error', logServerError);
  httpServer.on('upgrade', onUpgrade);
  const stopFeed = resolved.feed.subscribe(broadcast);
  const heartbeat = startHeartbeat(connections, resolved.heartbeatMs, logger);
  const url = `ws://${formatHost(resolved.host, httpServer)}:${port}${resolved.path}`;
  logger.info('event server started', { url });

  const close = async () => {
    if (heartbeat !== undefined) clearInterval(heartbeat);
    stopFeed();
    httpServer.off('upgrade', onUpgrade);
    await closeClients([...connections.keys()]);
    sockets.close();
    if (resolved.server === undefined) await closeHttpServer(httpServer);
    logger.info('event server stopped', { url });
  };
  return { url, port, token, close };
}
