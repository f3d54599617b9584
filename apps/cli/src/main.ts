#!/usr/bin/env node
import { runCli } from './cli.js';
import { allCommands } from './commands/index.js';
import type { CliIo } from './io.js';

/** Builds the process-backed IO: real streams, environment and an interrupt on SIGINT/SIGTERM. */
function createProcessIo(): CliIo {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // A second interrupt while shutting down means the user wants out now.
      process.exit(130);
    }
    controller.abort(new Error(`received ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stdout: {
      write: (text) => void process.stdout.write(text),
      isTTY: process.stdout.isTTY === true,
    },
    stderr: {
      write: (text) => void process.stderr.write(text),
      isTTY: process.stderr.isTTY === true,
    },
    env: process.env,
    cwd: process.cwd(),
    now: () => performance.now(),
    interrupt: controller.signal,
  };
}

/**
 * Exits quietly when the reader of stdout or stderr goes away (`galt bench store | head`),
 * because no reader is left for an error message. Other stream errors are rethrown.
 */
function exitOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}

process.stdout.on('error', exitOnClosedPipe);
process.stderr.on('error', exitOnClosedPipe);

/** Time allowed for open handles to close after the command returns before the process exits. */
const EXIT_GRACE_MS = 2_000;

const exitCode = await runCli(process.argv.slice(2), createProcessIo(), allCommands);
process.exitCode = exitCode;
// A library handle left open (a timer, a worker) must not keep a finished command alive. The
// timer is unreferenced, so it never delays a process that can exit on its own.
setTimeout(() => process.exit(exitCode), EXIT_GRACE_MS).unref();
