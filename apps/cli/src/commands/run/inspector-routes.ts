import type { Logger } from '@galt/core';
import { errorMessage } from '@galt/core';
import { type InspectorAsset, loadInspectorAssets } from '@galt/inspector';
import { createHttpRoutes, type LedgerReader, type WorldFeed } from '@galt/server';
import type { RunListener } from './event-endpoint.js';

/** Sources of the run's HTTP routes: the live feed, the ledger, the token and the logger. */
export interface InspectorSources {
  feed: WorldFeed;
  ledger: LedgerReader;
  token: string;
  logger: Logger;
}

/**
 * Serves the inspector page at `/` and the token-protected JSON routes on the run's listener,
 * beside the WebSocket endpoint. Returns false when the page bundle is missing, in which case
 * only the JSON routes are served.
 */
export function serveInspector(listener: RunListener, sources: InspectorSources): boolean {
  let assets: InspectorAsset[] = [];
  let pageServed = true;
  try {
    assets = loadInspectorAssets();
  } catch (error) {
    sources.logger.warn('inspector page not served', { error: errorMessage(error) });
    pageServed = false;
  }
  const handler = createHttpRoutes({
    token: sources.token,
    feed: sources.feed,
    ledger: sources.ledger,
    assets,
    logger: sources.logger,
  });
  listener.server.removeAllListeners('request');
  listener.server.on('request', handler);
  return pageServed;
}
