import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GaltError } from '@galt/core';
import { INSPECTOR_SCRIPT_PATH, inspectorPageHtml } from './page-html.js';

/** Page bundle that `scripts/build.mjs` writes. The relative path resolves from src/ and dist/. */
export const INSPECTOR_BUNDLE_FILE = fileURLToPath(
  new URL('../dist/browser/inspector.js', import.meta.url),
);

/** A file of the inspector served at a fixed URL path. */
export interface InspectorAsset {
  path: string;
  contentType: string;
  body: string;
}

/**
 * Loads the page and its script bundle for serving at `/` and `/inspector.js`. Throws a
 * GaltError with code `not_found` when the bundle has not been built.
 */
export function loadInspectorAssets(bundleFile = INSPECTOR_BUNDLE_FILE): InspectorAsset[] {
  if (!existsSync(bundleFile)) {
    throw new GaltError('not_found', `the inspector bundle ${bundleFile} is missing`, {
      remedy: 'Build it with `npm run build`',
    });
  }
  const html = inspectorPageHtml();
  return [
    { path: '/', contentType: 'text/html; charset=utf-8', body: html },
    { path: '/index.html', contentType: 'text/html; charset=utf-8', body: html },
    {
      path: INSPECTOR_SCRIPT_PATH,
      contentType: 'text/javascript; charset=utf-8',
      body: readFileSync(bundleFile, 'utf8'),
    },
  ];
}
