import { GaltError, isGaltError, type Logger, noopLogger } from '@galt/core';
import {
  formatIssues,
  type ParseResult,
  parseJsonWith,
  parseWith,
  type ToolCall,
  type ToolResult,
  type ValidationIssue,
} from '@galt/protocol';
import type { z } from 'zod';

/** Context passed to a tool's `run` besides its validated arguments. */
export interface ToolContext {
  agentId: string;
  tick: number;
  callId: string;
  logger: Logger;
}

/** A tool the tool-action channel may call, with zod schemas for its arguments and result. */
export interface ToolDefinition<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  arguments: A;
  result: R;
  /** True when the tool changes the world; such calls run only after a passing safety verdict. */
  sideEffect: boolean;
  run(args: z.output<A>, context: ToolContext): z.input<R> | Promise<z.input<R>>;
}

/** Defines a tool with its argument and result types inferred from the schemas. */
export function defineTool<A extends z.ZodType, R extends z.ZodType>(
  definition: ToolDefinition<A, R>,
): ToolDefinition {
  return definition as unknown as ToolDefinition;
}

/** Holds the registered tools, validates calls against their schemas and runs them. */
export class ToolRegistry {
  readonly #tools = new Map<string, ToolDefinition>();
  readonly #logger: Logger;

  constructor(options: { logger?: Logger } = {}) {
    this.#logger = options.logger ?? noopLogger;
  }

  /** Adds a tool; throws `invalid_config` when the name is already taken. */
  register(definition: ToolDefinition): this {
    if (this.#tools.has(definition.name)) {
      throw new GaltError(
        'invalid_config',
        `tool '${definition.name}' is already registered; give each tool a unique name`,
      );
    }
    this.#tools.set(definition.name, definition);
    return this;
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  get(name: string): ToolDefinition | undefined {
    return this.#tools.get(name);
  }

  names(): string[] {
    return [...this.#tools.keys()];
  }

  /**
   * Validates a call's arguments against the tool's schema. Arguments given as a string are read
   * as JSON text, so broken JSON becomes a `malformed_json` issue at the root.
   */
  validateArguments(call: ToolCall): ParseResult<unknown> {
    const tool = this.#tools.get(call.tool);
    if (tool === undefined) {
      return {
        ok: false,
        issues: [
          {
            path: [],
            code: 'unknown_tool',
            message: `tool '${call.tool}' is not registered; register it with registerTool`,
          },
        ],
      };
    }
    if (typeof call.arguments === 'string') return parseJsonWith(tool.arguments, call.arguments);
    return parseWith(tool.arguments, call.arguments);
  }

  /** Validates and runs a call; every failure is returned as a `ToolResult` with `ok: false`. */
  async execute(call: ToolCall, tick: number): Promise<ToolResult> {
    const tool = this.#tools.get(call.tool);
    if (tool === undefined) {
      const message = `tool '${call.tool}' is not registered; register it with registerTool`;
      return this.#failure(call, 'unknown_tool', message);
    }
    const parsed = this.validateArguments(call);
    if (!parsed.ok) {
      return this.#failure(
        call,
        'invalid_tool_arguments',
        `arguments of tool '${call.tool}' are invalid: ${formatIssues(parsed.issues)}`,
        { issues: parsed.issues },
      );
    }
    return this.#run(tool, call, parsed.value, tick);
  }

  async #run(
    tool: ToolDefinition,
    call: ToolCall,
    args: unknown,
    tick: number,
  ): Promise<ToolResult> {
    const context: ToolContext = {
      agentId: call.agentId,
      tick,
      callId: call.callId,
      logger: this.#logger,
    };
    let output: unknown;
    try {
      output = await tool.run(args, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A GaltError is the game declining the call (a purse too small, an item not held), which
      // is an expected outcome and logged at info. Anything else thrown is a fault in the tool.
      const level = isGaltError(error) ? 'info' : 'warn';
      return this.#failure(call, 'tool_failed', `tool '${call.tool}' failed: ${message}`, {
        level,
      });
    }
    const result = parseWith(tool.result, output);
    if (!result.ok) {
      return this.#failure(
        call,
        'invalid_tool_result',
        `tool '${call.tool}' returned a result that does not match its schema: ${formatIssues(result.issues)}`,
        { issues: result.issues },
      );
    }
    return { ok: true, callId: call.callId, tool: call.tool, result: result.value };
  }

  #failure(
    call: ToolCall,
    code: string,
    message: string,
    options: { issues?: readonly ValidationIssue[]; level?: 'info' | 'warn' } = {},
  ): ToolResult {
    const { issues, level = 'warn' } = options;
    this.#logger[level]('tool call failed', {
      callId: call.callId,
      agentId: call.agentId,
      code,
      message,
    });
    const error = issues === undefined ? { code, message } : { code, message, issues: [...issues] };
    return { ok: false, callId: call.callId, tool: call.tool, error };
  }
}
