import { errorMessage, type Logger } from '@galt/core';
import { CLOSE_CODES } from '@galt/protocol';
import { type RawData, WebSocket } from 'ws';
import type { ClientConnection } from './client-connection.js';
import type { EncodedBatch } from './encoded-batch.js';
import type { ResolvedServerOptions } from './server-options.js';

/** Milliseconds `close()` waits for clients to finish the closing handshake before dropping them. */
const CLOSE_GRACE_MS = 1_000;

/** Wires a client's socket events: authentication deadline, pongs, frames and close. */
export function attachSocketHandlers(
  socket: WebSocket,
  connection: ClientConnection,
  options: ResolvedServerOptions,
  logger: Logger,
  forget: () => void,
): void {
  const authTimer = setTimeout(() => {
    if (connection.authenticated) return;
    logger.warn('client did not authenticate in time', { clientId: connection.id });
    socket.close(CLOSE_CODES.authenticationTimeout, 'authentication timed out');
  }, options.authTimeoutMs);
  authTimer.unref();

  socket.on('pong', () => {
    connection.alive = true;
  });
  socket.on('message', (data) => {
    try {
      connection.handleFrame(frameText(data));
    } catch (error) {
      logger.error('client message handler failed', {
        clientId: connection.id,
        error: errorMessage(error),
      });
      connection.reject('internal', 'the server failed to handle the message; try again');
    }
  });
  socket.on('error', (error: Error & { code?: string }) => {
    const code =
      error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'payload_too_large' : 'invalid_input';
    logger.warn('client connection failed', {
      clientId: connection.id,
      code,
      error: error.message,
    });
  });
  socket.on('close', (code) => {
    clearTimeout(authTimer);
    forget();
    logger.info('client disconnected', { clientId: connection.id, code });
  });
}

/** Delivers a batch to one client; a failure ends that client's subscription, not the server. */
export function deliverSafely(
  connection: ClientConnection,
  batch: EncodedBatch,
  logger: Logger,
): void {
  try {
    connection.session.deliverBatch(batch);
  } catch (error) {
    logger.error('event delivery failed', {
      clientId: connection.id,
      fromSeq: batch.firstSeq,
      toSeq: batch.lastSeq,
      error: errorMessage(error),
    });
    connection.session.unsubscribe();
    const message = `delivery failed at seq ${batch.firstSeq}; subscribe again with fromSeq`;
    connection.reject('internal', message);
  }
}

/** Decodes a client frame as UTF-8; binary frames are decoded too and then fail JSON parsing. */
function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Pings every client each interval and drops those that sent no pong for the previous ping. */
export function startHeartbeat(
  connections: Map<WebSocket, ClientConnection>,
  intervalMs: number,
  logger: Logger,
): NodeJS.Timeout | undefined {
  if (intervalMs === 0) return undefined;
  const timer = setInterval(() => {
    for (const [socket, connection] of connections) {
      if (!connection.alive) {
        logger.warn('client missed a heartbeat; dropping it', { clientId: connection.id });
        socket.terminate();
        continue;
      }
      connection.alive = false;
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return timer;
}

/** Closes clients with the shutdown close code, terminating any that do not complete the closing handshake in time. */
export async function closeClients(sockets: WebSocket[]): Promise<void> {
  const closed = sockets.map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.close(CLOSE_CODES.serverShutdown, 'server shutting down');
      }),
  );
  await Promise.all(closed);
}
