import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI entry; `npm test` builds it first through the `pretest` script. */
export const GALT_MAIN = fileURLToPath(new URL('../../apps/cli/dist/main.js', import.meta.url));

/** Throws with the command to run when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(GALT_MAIN)) {
    throw new Error(`${GALT_MAIN} is missing; run 'npm run build' (npm test does it first)`);
  }
}

/** A running `galt` child process with everything it printed so far. */
export interface GaltProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node apps/cli/dist/main.js ARGS` in `cwd`, with `env` added to this process's. */
export function spawnGalt(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): GaltProcess {
  requireBuiltCli();
  const child = spawn(process.execPath, [GALT_MAIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out.join(''), stderr: () => err.join(''), exited };
}

/** Runs `galt ARGS` to completion and returns its exit code and output. */
export async function runGalt(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const galt = spawnGalt(args, cwd, env);
  const { code } = await galt.exited;
  return { code, stdout: galt.stdout(), stderr: galt.stderr() };
}

/** Polls `condition` every `intervalMs` until it returns true; throws after `attempts` polls. */
export async function waitUntil(
  condition: () => boolean,
  description: string,
  attempts = 600,
  intervalMs = 50,
): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out waiting for ${description}`);
}
