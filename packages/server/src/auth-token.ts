import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Random bytes in a generated token: 256 bits, beyond reach of guessing. */
const TOKEN_BYTES = 32;

/** WebSocket subprotocol prefix that carries a token, for browser clients that cannot set headers. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'galt.bearer.';

/** Subprotocol the server selects when a client offers it next to a token subprotocol. */
export const GALT_SUBPROTOCOL = 'galt';

/** Generates a random URL-safe token. */
export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Compares a presented token with the expected one in time independent of where they differ.
 *
 * Both sides are hashed first, so the comparison also hides the expected token's length.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  const presentedDigest = createHash('sha256').update(presented).digest();
  const expectedDigest = createHash('sha256').update(expected).digest();
  return timingSafeEqual(presentedDigest, expectedDigest);
}

/**
 * Reads a token from an upgrade request: an `Authorization: Bearer` header, a
 * `galt.bearer.<token>` subprotocol or a `token` query parameter, in that order.
 */
export function readUpgradeToken(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  for (const protocol of offeredSubprotocols(request)) {
    if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
      return protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    }
  }
  const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('token');
  return query === null || query === '' ? undefined : query;
}

/** Lists the subprotocols in the request's `Sec-WebSocket-Protocol` header. */
export function offeredSubprotocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol.length > 0);
}
