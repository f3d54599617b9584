/** Latency summary of one benchmarked call. */
export interface Timing {
  iterations: number;
  medianMs: number;
  meanMs: number;
}

/** Calls `body` `warmup` times unmeasured, then `iterations` times, and summarizes the latency. */
export async function timeCalls(
  iterations: number,
  warmup: number,
  body: () => unknown | Promise<unknown>,
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await body();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await body();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const middle = Math.floor(samples.length / 2);
  const medianMs =
    samples.length % 2 === 1
      ? (samples[middle] as number)
      : ((samples[middle - 1] as number) + (samples[middle] as number)) / 2;
  const meanMs = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { iterations, medianMs, meanMs };
}
