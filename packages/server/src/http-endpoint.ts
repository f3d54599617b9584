import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorMessage, GaltError } from '@galt/core';
import type { ResolvedServerOptions } from './server-options.js';

/** Responds to plain HTTP requests on a server of our own with 426, as it serves WebSocket only. */
export function respondToPlainRequest(_request: IncomingMessage, response: ServerResponse) {
  response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
  response.end('This endpoint serves WebSocket connections only.\n');
}

/** Rejects an upgrade request with an HTTP error status and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Starts listening unless attached, and returns the port; throws `invalid_config` on failure. */
export async function listen(server: Server, options: ResolvedServerOptions): Promise<number> {
  if (options.server !== undefined) return listeningPort(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    const message = `failed to listen on ${options.host}:${options.port}: ${errorMessage(error)}`;
    throw new GaltError('invalid_config', message, {
      remedy: 'Choose another port, or pass port 0 to pick a free one',
      cause: error,
    });
  });
  return listeningPort(server);
}

function listeningPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new GaltError(
      'invalid_config',
      'the HTTP server to attach to is not listening on a port',
      {
        remedy: 'Call server.listen() and wait for it before startEventServer',
      },
    );
  }
  return (address as AddressInfo).port;
}

/** Returns the listening address for a URL, with brackets around an IPv6 address. */
export function formatHost(host: string, server: Server): string {
  const address = server.address() as AddressInfo | null;
  const shown = address?.address ?? host;
  return shown.includes(':') ? `[${shown}]` : shown;
}

/** Closes a server of our own together with its idle keep-alive connections. */
export async function closeHttpServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
