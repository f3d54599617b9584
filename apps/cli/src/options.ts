import { z } from 'zod';

/** Parsing and validation rules of one command-line option. */
export interface OptionDefinition<T> {
  /** Value type for `node:util` parseArgs: booleans take no argument. */
  readonly flagType: 'string' | 'boolean';
  /** Argument name shown in help, such as `N` or `PATH`; null for boolean flags. */
  readonly placeholder: string | null;
  /** Help text: the setting the option changes, and its unit. */
  readonly description: string;
  /** Validates a value from the flag (after conversion), a config file or the default. */
  readonly schema: z.ZodType<T>;
  /** Converts the flag text to the value the schema checks; throws a message on bad text. */
  readonly convertFlag: (text: string) => unknown;
  /** Environment variable that supplies the value when neither flag nor config file does. */
  readonly env?: string;
  /** Default shown in help. */
  readonly defaultText?: string;
}

interface CommonOptionFields {
  description: string;
  placeholder?: string;
  env?: string;
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function convertInteger(text: string): unknown {
  if (!INTEGER_TEXT.test(text.trim())) throw new Error(`expected an integer, got '${text}'`);
  return Number(text);
}

function convertNumber(text: string): unknown {
  if (!NUMBER_TEXT.test(text.trim())) throw new Error(`expected a number, got '${text}'`);
  return Number(text);
}

function describeDefault(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** Creates an integer option within `[min, max]`. Without a default, the value may be absent. */
export function integerOption(
  fields: CommonOptionFields & { min: number; max: number; default: number },
): OptionDefinition<number>;
export function integerOption(
  fields: CommonOptionFields & { min: number; max: number },
): OptionDefinition<number | undefined>;
export function integerOption(
  fields: CommonOptionFields & { min: number; max: number; default?: number },
): OptionDefinition<number | undefined> {
  const base = z.number().int().min(fields.min).max(fields.max);
  return {
    flagType: 'string',
    placeholder: fields.placeholder ?? 'N',
    description: fields.description,
    schema: fields.default === undefined ? base.optional() : base.default(fields.default),
    convertFlag: convertInteger,
    ...optionalFields(fields, fields.default),
  };
}

/** Creates a number option within `[min, max]`. Without a default, the value may be absent. */
export function numberOption(
  fields: CommonOptionFields & { min: number; max: number; default: number },
): OptionDefinition<number>;
export function numberOption(
  fields: CommonOptionFields & { min: number; max: number },
): OptionDefinition<number | undefined>;
export function numberOption(
  fields: CommonOptionFields & { min: number; max: number; default?: number },
): OptionDefinition<number | undefined> {
  const base = z.number().min(fields.min).max(fields.max);
  return {
    flagType: 'string',
    placeholder: fields.placeholder ?? 'X',
    description: fields.description,
    schema: fields.default === undefined ? base.optional() : base.default(fields.default),
    convertFlag: convertNumber,
    ...optionalFields(fields, fields.default),
  };
}

/** Creates a non-empty text option, such as a path or a token. */
export function stringOption(
  fields: CommonOptionFields & { default: string },
): OptionDefinition<string>;
export function stringOption(fields: CommonOptionFields): OptionDefinition<string | undefined>;
export function stringOption(
  fields: CommonOptionFields & { default?: string },
): OptionDefinition<string | undefined> {
  const base = z.string().min(1, 'must not be empty');
  return {
    flagType: 'string',
    placeholder: fields.placeholder ?? 'TEXT',
    description: fields.description,
    schema: fields.default === undefined ? base.optional() : base.default(fields.default),
    convertFlag: (text) => text,
    ...optionalFields(fields, fields.default),
  };
}

/** Creates an option that takes one of a fixed set of words. */
export function choiceOption<const C extends readonly [string, ...string[]]>(
  fields: CommonOptionFields & { choices: C; default: C[number] },
): OptionDefinition<C[number]> {
  return {
    flagType: 'string',
    placeholder: fields.placeholder ?? fields.choices.join('|'),
    description: fields.description,
    schema: z.enum(fields.choices).default(fields.default as never) as z.ZodType<C[number]>,
    convertFlag: (text) => text,
    ...optionalFields(fields, fields.default),
  };
}

/** Creates an option for a comma-separated list of integers, such as seeds. */
export function integerListOption(
  fields: CommonOptionFields & { min: number; max: number; default?: number[] },
): OptionDefinition<number[] | undefined> {
  const base = z.array(z.number().int().min(fields.min).max(fields.max)).min(1);
  return {
    flagType: 'string',
    placeholder: fields.placeholder ?? 'N,N,...',
    description: fields.description,
    schema: fields.default === undefined ? base.optional() : base.default(fields.default),
    convertFlag: (text) => text.split(',').map((part) => convertInteger(part)),
    ...optionalFields(fields, fields.default?.join(',')),
  };
}

/**
 * Creates an option for a comma-separated list of non-empty words. The code that uses the words
 * validates them further.
 */
export function stringListOption(
  fields: CommonOptionFields,
): OptionDefinition<string[] | undefined> {
  return {
    flagType: 'string',
    placeholder: fields.placeholder ?? 'NAME,...',
    description: fields.description,
    schema: z.array(z.string().min(1, 'must not be empty')).min(1).optional(),
    convertFlag: (text) => text.split(',').map((part) => part.trim()),
    ...optionalFields(fields, undefined),
  };
}

/** Creates a boolean switch that is off unless given. */
export function flagOption(fields: { description: string }): OptionDefinition<boolean> {
  return {
    flagType: 'boolean',
    placeholder: null,
    description: fields.description,
    schema: z.boolean().default(false),
    convertFlag: (text) => text,
  };
}

function optionalFields(
  fields: CommonOptionFields,
  defaultValue: unknown,
): { env?: string; defaultText?: string } {
  const result: { env?: string; defaultText?: string } = {};
  if (fields.env !== undefined) result.env = fields.env;
  const defaultText = describeDefault(defaultValue);
  if (defaultText !== undefined) result.defaultText = defaultText;
  return result;
}

/** A command's options by long name (without the leading dashes). */
export type OptionDefinitions = Readonly<Record<string, OptionDefinition<unknown>>>;

/** The validated values of a command's options. */
export type OptionValues<O extends OptionDefinitions> = {
  [K in keyof O]: O[K] extends OptionDefinition<infer T> ? T : never;
};
