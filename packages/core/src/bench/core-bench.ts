import { adjudicateCandidate, adjudicateValidated } from '../adjudication.js';
import { hashedNgramFeatures } from '../ngram-features.js';
import { PASS, type SafetyRule, violate } from '../safety-rule.js';
import { SafetyStack } from '../safety-stack.js';
import { SeededRandom } from '../seeded-random.js';
import { makeCandidate, passingVerdict } from '../test-fixtures.js';
import { buildTurnTargets } from '../turn-screening.js';
import { TurnWindow } from '../turn-window.js';

/** One measured operation. */
export interface CoreBenchRow {
  name: string;
  iterations: number;
  nsPerOp: number;
  opsPerSecond: number;
}

/** Options of `runCoreBenchmark`. */
export interface CoreBenchOptions {
  /** Factor on every iteration count. At 1 a run takes a few seconds on a 2-core machine. */
  scale?: number;
}

/** Feature dimension used by the shipped text encoder, so the numbers match real calls. */
const BENCH_DIMENSION = 256;

/** Measures the hot per-tick helpers of core and returns one row per operation. */
export function runCoreBenchmark(options: CoreBenchOptions = {}): CoreBenchRow[] {
  const scale = options.scale ?? 1;
  const random = new SeededRandom('bench');
  const features = new Float32Array(BENCH_DIMENSION);
  const stack = benchStack();
  const window = new TurnWindow(8);
  window.push({ id: '1', text: 'Good morning, smith. Can you sharpen my sword?' });
  window.push({ id: '2', text: 'And tell me where the miller lives.' });
  const targets = buildTurnTargets(window);
  const candidate = makeCandidate();
  const verdict = passingVerdict();

  return [
    measure('SeededRandom.nextUint32', 2_000_000 * scale, () => random.nextUint32()),
    measure('hashedNgramFeatures (12 tokens, d=256)', 50_000 * scale, (index) =>
      hashedNgramFeatures(
        `hello there traveller, do you want to buy a sword ${index}`,
        BENCH_DIMENSION,
        features,
      ),
    ),
    measure('SafetyStack.screen (8 rules, 3 targets)', 50_000 * scale, () =>
      stack.screen({ agentId: 'smith', tick: 1, targets, context: null }),
    ),
    measure('adjudicateCandidate', 20_000 * scale, () => adjudicateCandidate(candidate, verdict)),
    measure('adjudicateValidated', 20_000 * scale, () => adjudicateValidated(candidate, verdict)),
  ];
}

function benchStack(): SafetyStack<null> {
  const stack = new SafetyStack<null>();
  const words = ['poison', 'burn', 'steal', 'secret', 'skip', 'rush', 'rude', 'shout'];
  words.forEach((word, index) => {
    const rule: SafetyRule<null> = {
      id: `bench.${word}`,
      layer: (['L0', 'L1', 'L2', 'L3'] as const)[Math.floor(index / 2)] ?? 'L3',
      description: `flags '${word}'`,
      evaluate: (target) => (target.text.includes(word) ? violate(word) : PASS),
    };
    stack.register(rule);
  });
  return stack;
}

function measure(
  name: string,
  iterations: number,
  operation: (index: number) => unknown,
): CoreBenchRow {
  const count = Math.max(1, Math.round(iterations));
  const start = performance.now();
  for (let index = 0; index < count; index += 1) operation(index);
  const elapsedMs = performance.now() - start;
  const nsPerOp = (elapsedMs * 1e6) / count;
  return { name, iterations: count, nsPerOp, opsPerSecond: nsPerOp > 0 ? 1e9 / nsPerOp : Infinity };
}
