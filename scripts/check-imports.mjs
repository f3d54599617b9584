// Fails when a file imports another workspace package through anything but its exports map:
// a subpath such as `@galt/core/src/x.js`, or a relative path that leaves its own package.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const importPattern =
  /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function listTypeScript(directory) {
  const files = [];
  for (const entry of readdirSync(directory)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...listTypeScript(path));
    else if (path.endsWith('.ts')) files.push(path);
  }
  return files;
}

function packageRootOf(file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'packages' || parts[0] === 'apps') return join(root, parts[0], parts[1]);
  return join(root, parts[0]);
}

const problems = [];
for (const group of ['packages', 'apps', 'test']) {
  for (const file of listTypeScript(join(root, group))) {
    const text = readFileSync(file, 'utf8');
    const packageRoot = packageRootOf(file);
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2];
      if (/^@galt\/[^/]+\/.+/.test(specifier)) {
        problems.push(`${relative(root, file)}: deep import '${specifier}'; import '@galt/<name>'`);
      } else if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (!target.startsWith(packageRoot + sep)) {
          problems.push(
            `${relative(root, file)}: '${specifier}' leaves its package; import the package by name`,
          );
        }
      }
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} cross-package deep import(s) found`);
  process.exit(1);
}
