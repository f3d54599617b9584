import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Execution providers a session can request. */
export type ExecutionProvider = 'cpu' | 'cuda';

/** Shared libraries onnxruntime-node needs beside its binding to load the CUDA provider. */
export const CUDA_PROVIDER_LIBRARIES = [
  'libonnxruntime_providers_shared.so',
  'libonnxruntime_providers_cuda.so',
] as const;

/** Returns the folder of the onnxruntime-node native binding for this platform, or null. */
export function bindingDirectory(): string | null {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('onnxruntime-node');
  } catch {
    return null;
  }
  const bin = join(dirname(entry), '..', 'bin');
  if (!existsSync(bin)) return null;
  const napi = readdirSync(bin)
    .filter((name) => name.startsWith('napi-v'))
    .sort();
  for (const version of napi.reverse()) {
    const candidate = join(bin, version, process.platform, process.arch);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Returns why the CUDA provider cannot load before onnxruntime is asked, or null when its provider
 * libraries are in place. Checking first keeps onnxruntime from printing its own load error.
 */
export function cudaPrecheck(): string | null {
  if (process.platform !== 'linux' && process.platform !== 'win32') {
    return `onnxruntime-node has no CUDA provider on ${process.platform}`;
  }
  const directory = bindingDirectory();
  if (directory === null) return 'the onnxruntime-node native binding was not found';
  if (process.platform === 'win32') return null;
  const missing = CUDA_PROVIDER_LIBRARIES.filter((file) => !existsSync(join(directory, file)));
  if (missing.length === 0) return null;
  return `${missing.join(' and ')} not found in ${directory}; copy them from the onnxruntime GPU release`;
}
