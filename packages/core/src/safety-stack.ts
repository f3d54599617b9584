import {
  isHardLayer,
  type LayerVerdict,
  SAFETY_LAYERS,
  type SafetyLayer,
  type SafetyVerdict,
  type ViolationLayer,
} from '@galt/protocol';
import { errorMessage, GaltError } from './errors.js';
import { type Logger, noopLogger } from './logger.js';
import type { RuleOutcome, SafetyRule, ScreenTarget, ScreenTargetKind } from './safety-rule.js';

const TARGET_KINDS: readonly ScreenTargetKind[] = [
  'input',
  'window',
  'proposal',
  'chunk',
  'candidate',
];

/** Input of `SafetyStack.screen`: the targets of one agent at one tick. */
export interface ScreenRequest<C> {
  agentId: string;
  tick: number;
  targets: readonly ScreenTarget[];
  context: C;
}

/** One rule that did not pass on one target. */
export interface ScreenFinding {
  layer: SafetyLayer;
  status: 'violate' | 'ambiguous';
  ruleId: string;
  reason: string;
  /** Id of the target the rule fired on. */
  target: string;
  targetKind: ScreenTargetKind;
}

/** Result of `SafetyStack.screenWithFindings`: the verdict and every finding behind it. */
export interface ScreenResult {
  /** One verdict per layer, built from the first finding of each layer. */
  verdict: SafetyVerdict;
  /** Every finding in evaluation order: layer, then rule registration order, then target. */
  findings: readonly ScreenFinding[];
}

interface Finding {
  ruleId: string;
  reason: string;
  target: string;
}

/** Options for a `SafetyStack`. */
export interface SafetyStackOptions {
  /** Receives a warning for every rule that throws or returns an invalid outcome. */
  logger?: Logger;
}

/**
 * Stratified safety stack: rules at layers L0 (viability) to L3 (preference), evaluated on every
 * target of a turn. A rule that throws or returns a malformed outcome counts as a violation at its
 * layer, so a broken rule fails closed.
 */
export class SafetyStack<C = unknown> {
  readonly #rulesByLayer: SafetyRule<C>[][] = SAFETY_LAYERS.map(() => []);
  readonly #ruleIds = new Set<string>();
  readonly #logger: Logger;

  constructor(options: SafetyStackOptions = {}) {
    this.#logger = options.logger ?? noopLogger;
  }

  /** Adds a rule. Throws `invalid_config` for a duplicate id, unknown layer or target kind. */
  register(rule: SafetyRule<C>): this {
    checkRule(rule, this.#ruleIds);
    this.#ruleIds.add(rule.id);
    this.#rulesByLayer[SAFETY_LAYERS.indexOf(rule.layer)]?.push(rule);
    return this;
  }

  /** Returns the registered rules of one layer, or of all layers lowest first. */
  rules(layer?: SafetyLayer): readonly SafetyRule<C>[] {
    if (layer === undefined) return this.#rulesByLayer.flat();
    return [...(this.#rulesByLayer[SAFETY_LAYERS.indexOf(layer)] ?? [])];
  }

  /**
   * Evaluates every rule on every target it applies to and returns the verdict per layer.
   *
   * `violationLayer` is the lowest violated layer, `blocked` is true when it is L0 or L1, and
   * `firstBlockedChunk` is the lowest index of a `chunk` target that violates any rule.
   */
  screen(request: ScreenRequest<C>): SafetyVerdict {
    return this.screenWithFindings(request).verdict;
  }

  /**
   * Screens like `screen` and also returns every finding, not only the first one per layer, so a
   * caller can tell every input that a hard rule names from a single screen.
   */
  screenWithFindings(request: ScreenRequest<C>): ScreenResult {
    checkRequest(request);
    // Allocated on the first finding: most turns pass, and a passing screen should allocate
    // little, because the runtime screens every agent every tick.
    let violations: (Finding | undefined)[] | undefined;
    let ambiguities: (Finding | undefined)[] | undefined;
    let findings: ScreenFinding[] | undefined;
    let firstBlockedChunk: number | null = null;

    for (let layerIndex = 0; layerIndex < this.#rulesByLayer.length; layerIndex += 1) {
      const rules = this.#rulesByLayer[layerIndex] ?? [];
      const layer = SAFETY_LAYERS[layerIndex] ?? 'L0';
      for (const rule of rules) {
        for (const target of request.targets) {
          if (rule.appliesTo !== undefined && !rule.appliesTo.includes(target.kind)) continue;
          const outcome = this.#evaluate(rule, target, request.context);
          if (outcome.status === 'pass') continue;

          const finding = { ruleId: rule.id, reason: outcome.reason, target: target.id };
          findings ??= [];
          findings.push({ layer, status: outcome.status, ...finding, targetKind: target.kind });
          if (outcome.status === 'ambiguous') {
            ambiguities ??= [];
            ambiguities[layerIndex] ??= finding;
            continue;
          }
          violations ??= [];
          violations[layerIndex] ??= finding;
          if (target.kind === 'chunk') {
            firstBlockedChunk = Math.min(firstBlockedChunk ?? target.index, target.index);
          }
        }
      }
    }

    const violationLayer = violations === undefined ? 'none' : lowestLayer(violations);
    const verdict: SafetyVerdict = {
      agentId: request.agentId,
      tick: request.tick,
      layers: SAFETY_LAYERS.map((layer, index) =>
        layerVerdict(layer, violations?.[index], ambiguities?.[index]),
      ),
      violationLayer,
      blocked: isHardLayer(violationLayer),
      firstBlockedChunk,
      screenedInputs: inputIds(request.targets),
    };
    return { verdict, findings: findings ?? [] };
  }

  #evaluate(rule: SafetyRule<C>, target: ScreenTarget, context: C): RuleOutcome {
    try {
      const outcome = rule.evaluate(target, context);
      if (isRuleOutcome(outcome)) return outcome;
      this.#logger.warn('safety rule returned an invalid outcome; treated as a violation', {
        ruleId: rule.id,
        target: target.id,
      });
      return { status: 'violate', reason: `rule ${rule.id} returned an invalid outcome` };
    } catch (error) {
      const reason = errorMessage(error);
      this.#logger.warn('safety rule threw; treated as a violation', {
        ruleId: rule.id,
        target: target.id,
        error: reason,
      });
      return { status: 'violate', reason };
    }
  }
}

function layerVerdict(
  layer: SafetyLayer,
  violation: Finding | undefined,
  ambiguity: Finding | undefined,
): LayerVerdict {
  if (violation !== undefined) return { layer, status: 'violate', ...violation };
  if (ambiguity !== undefined) return { layer, status: 'ambiguous', ...ambiguity };
  return { layer, status: 'pass' };
}

function inputIds(targets: readonly ScreenTarget[]): string[] {
  const ids: string[] = [];
  for (const target of targets) if (target.kind === 'input') ids.push(target.id);
  return ids;
}

function lowestLayer(violations: readonly (Finding | undefined)[]): ViolationLayer {
  const index = SAFETY_LAYERS.findIndex((_, layerIndex) => violations[layerIndex] !== undefined);
  return index === -1 ? 'none' : (SAFETY_LAYERS[index] ?? 'none');
}

function isRuleOutcome(value: unknown): value is RuleOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const { status, reason } = value as { status?: unknown; reason?: unknown };
  if (status === 'pass') return true;
  return (status === 'violate' || status === 'ambiguous') && typeof reason === 'string';
}

function checkRule<C>(rule: SafetyRule<C>, knownIds: ReadonlySet<string>): void {
  const problem = ruleProblem(rule, knownIds);
  if (problem === undefined) return;
  throw new GaltError('invalid_config', `SafetyStack.register: ${problem}`, {
    remedy:
      'Give each rule a unique id, a layer L0-L3, an evaluate function and known target kinds',
  });
}

function ruleProblem<C>(rule: SafetyRule<C>, knownIds: ReadonlySet<string>): string | undefined {
  if (typeof rule.id !== 'string' || rule.id.length === 0) return 'rule id is missing';
  if (knownIds.has(rule.id)) return `rule id '${rule.id}' is already registered`;
  if (!SAFETY_LAYERS.includes(rule.layer)) {
    return `rule '${rule.id}' has invalid layer '${String(rule.layer)}'`;
  }
  if (typeof rule.evaluate !== 'function') return `rule '${rule.id}' has no evaluate function`;
  const unknownKind = rule.appliesTo?.find((kind) => !TARGET_KINDS.includes(kind));
  if (unknownKind !== undefined) {
    return `rule '${rule.id}' applies to unknown target kind '${String(unknownKind)}'`;
  }
  return undefined;
}

function checkRequest<C>(request: ScreenRequest<C>): void {
  if (typeof request.agentId !== 'string' || request.agentId.length === 0) {
    throw new GaltError('invalid_input', 'SafetyStack.screen: agentId is missing', {
      remedy: 'Pass the id of the agent whose turn is screened',
    });
  }
  if (!Number.isSafeInteger(request.tick) || request.tick < 0) {
    throw new GaltError('invalid_input', `SafetyStack.screen: tick ${request.tick} is invalid`, {
      remedy: 'Pass a non-negative integer tick',
    });
  }
}
