// Transpiles every workspace's src/ to dist/ with esbuild (no bundling), so Node runs the
// packages through their exports maps. Type checking is done separately by `npm run typecheck`.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const workspaceGroups = ['packages', 'apps'];

function listSources(directory) {
  const files = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...listSources(path));
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

for (const group of workspaceGroups) {
  for (const name of readdirSync(join(root, group))) {
    const sourceDirectory = join(root, group, name, 'src');
    let entryPoints;
    try {
      entryPoints = listSources(sourceDirectory);
    } catch {
      continue;
    }
    const outdir = join(root, group, name, 'dist');
    rmSync(outdir, { recursive: true, force: true });
    await build({
      entryPoints,
      outdir,
      outbase: sourceDirectory,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
    });
  }
}

// The inspector page runs in a browser, so its entry and dependencies are bundled into one static
// script that the event server serves. The page needs no CDN or other network access.
await build({
  entryPoints: [join(root, 'apps/inspector/src/page/main.ts')],
  outfile: join(root, 'apps/inspector/dist/browser/inspector.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
