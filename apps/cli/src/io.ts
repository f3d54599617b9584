/** A text sink: a process stream or an in-memory buffer in tests. */
export interface TextOutput {
  write(text: string): void;
  /** Whether the sink is an interactive terminal, which enables the updating progress line. */
  readonly isTTY: boolean;
}

/** Everything a command may touch outside its arguments, so tests can run commands in-process. */
export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths in options and config files resolve against. */
  readonly cwd: string;
  /** Wall-clock milliseconds, for progress display and benchmark wall time, never for logic. */
  now(): number;
  /** Signal that aborts on SIGINT or SIGTERM, after which `galt run` stops ticking. */
  readonly interrupt: AbortSignal;
}

/** An in-memory text sink that keeps everything written to it. */
export class BufferedOutput implements TextOutput {
  readonly isTTY: boolean;
  private readonly chunks: string[] = [];

  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }

  write(text: string): void {
    this.chunks.push(text);
  }

  /** Everything written so far, concatenated. */
  text(): string {
    return this.chunks.join('');
  }
}

/** Options for {@link createBufferedIo}. */
export interface BufferedIoOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  isTTY?: boolean;
  interrupt?: AbortSignal;
  now?: () => number;
}

/** Creates a {@link CliIo} whose output stays in memory, for tests and for embedding the CLI. */
export function createBufferedIo(options: BufferedIoOptions = {}): CliIo & {
  stdout: BufferedOutput;
  stderr: BufferedOutput;
} {
  let fakeTime = 0;
  return {
    stdout: new BufferedOutput(options.isTTY ?? false),
    stderr: new BufferedOutput(options.isTTY ?? false),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    now: options.now ?? (() => fakeTime++),
    interrupt: options.interrupt ?? new AbortController().signal,
  };
}
