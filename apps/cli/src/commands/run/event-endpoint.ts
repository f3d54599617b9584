import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EventServer, startEventServer, type WorldFeed } from '@galt/server';
import { CliError, ExitCode } from '../../exit-codes.js';

/** Loopback only: the event server is for local tools and games and is never exposed. */
export const EVENT_HOST = '127.0.0.1';
/** WebSocket path of the event stream. */
export const EVENT_PATH = '/events';

/** The HTTP listener of a run, bound before the database or the world is touched. */
export interface RunListener {
  readonly server: Server;
  readonly port: number;
}

function answerPlainRequest(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
  response.end(`Connect a WebSocket client to ${EVENT_PATH} with the run's token.\n`);
}

/**
 * Binds the run's port on 127.0.0.1 first, so a busy port fails before a run is started in the
 * database. A busy or forbidden port becomes a usage error that explains how to pick another.
 */
export async function listenOnLoopback(port: number): Promise<RunListener> {
  const server = createServer(answerPlainRequest);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, EVENT_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw listenError(error, port);
  }
  return { server, port: (server.address() as AddressInfo).port };
}

function listenError(error: unknown, port: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return new CliError(
      `port ${port} on ${EVENT_HOST} is already in use, perhaps by another galt run. ` +
        'Pick another with --port N, or --port 0 for a free one.',
      ExitCode.usage,
    );
  }
  if (code === 'EACCES') {
    return new CliError(
      `no permission to listen on port ${port}; pick a port above 1023 with --port N`,
      ExitCode.usage,
    );
  }
  return error;
}

/** Attaches the WebSocket event server for `feed` to the bound listener. */
export function attachEventServer(
  listener: RunListener,
  feed: WorldFeed,
  token: string | undefined,
): Promise<EventServer> {
  return startEventServer({
    feed,
    server: listener.server,
    path: EVENT_PATH,
    ...(token === undefined ? {} : { token }),
  });
}

/** Stops the listener and drops idle keep-alive connections. */
export async function closeListener(listener: RunListener): Promise<void> {
  listener.server.closeAllConnections();
  await new Promise<void>((resolve) => listener.server.close(() => resolve()));
}
