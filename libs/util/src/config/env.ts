import { plainToInstance, Transform } from 'class-transformer';
import { getMetadataStorage, IsBoolean, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, validateSync, ValidationError } from 'class-validator';

import { Logger } from '../logging/logger';
import { applyConnectionParts } from './connection-parts';
import { redactText, redactValue } from './redact';

/**
 * Raised when the environment does not satisfy an app's config class. Values of secret variables
 * (URL, PASSWORD, SECRET, KEY, TOKEN in the name) are redacted in the problems and the message.
 */
export class ConfigValidationError extends Error {
  readonly problems: { variable: string; value: unknown; rules: string[] }[];

  constructor(problems: { variable: string; value: unknown; rules: string[] }[]) {
    const redacted = problems.map((p) => ({ ...p, value: redactValue(p.variable, p.value), rules: p.rules.map(redactText) }));
    super(
      'Invalid configuration: ' +
        redacted
          .map((p) => `${p.variable}=${JSON.stringify(p.value ?? null)} (${p.rules.join('; ')})`)
          .join(', '),
    );
    this.problems = redacted;
    this.name = 'ConfigValidationError';
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Several property decorators as one, applied as if written in this order before the property. */
function stacked(...decorators: (PropertyDecorator | false)[]): PropertyDecorator {
  // `@A() @B() x` applies B first: keep that order so each variable's rules are reported as they were written.
  const inOrder = decorators.filter((d): d is PropertyDecorator => d !== false).reverse();
  return (target, property) => inOrder.forEach((decorate) => decorate(target, property));
}

/** The checks of a numeric variable: any number or an integer, its bounds, whether it may be unset. */
export interface EnvNumberRules {
  type: 'number' | 'integer';
  min: number;
  max?: number;
  optional?: boolean;
}

/**
 * Env string -> number; an empty or missing value keeps the class default; garbage stays garbage (and fails @IsNumber).
 * With rules it also checks the number: `@EnvNumber({ type: 'integer', min: 0, max: 10 })` is
 * `@EnvNumber() @IsInt() @Min(0) @Max(10)` (type 'number': @IsNumber), `optional: true` adds @IsOptional.
 */
export function EnvNumber(rules?: EnvNumberRules): PropertyDecorator {
  const toNumber = Transform(({ value }) => {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'number') return value;
    const trimmed = String(value).trim();
    const n = Number(trimmed);
    return trimmed === '' || Number.isNaN(n) ? value : n;
  });
  if (!rules) return toNumber;
  const { type, min, max, optional } = rules;
  return stacked(toNumber, optional === true && IsOptional(), type === 'integer' ? IsInt() : IsNumber(), Min(min), max !== undefined && Max(max));
}

/** Env string -> boolean ("true/false/1/0/yes/no/on/off"), checked by @IsBoolean: anything else stays a string and is refused. */
export const EnvBoolean = (): PropertyDecorator =>
  stacked(
    Transform(({ value }) => {
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value === 'boolean') return value;
      const v = String(value).trim().toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      return value;
    }),
    IsBoolean(),
  );

/** The checks EnvString can add: the variable may be unset; its value must be an http(s):// URL (a service's base URL). */
export interface EnvStringRules {
  optional?: boolean;
  httpUrl?: boolean;
}

/**
 * Env string -> trimmed string; empty keeps the default. With rules it also checks the string:
 * `@EnvString({ optional: true })` is `@EnvString() @IsOptional() @IsString()`, and `httpUrl: true` checks for an
 * http(s):// URL instead, with a message naming the variable.
 */
export function EnvString(rules?: EnvStringRules): PropertyDecorator {
  const trimmed = Transform(({ value }) => (value === undefined || value === null || value === '' ? undefined : String(value).trim()));
  if (!rules) return trimmed;
  const check = rules.httpUrl === true ? Matches(/^https?:\/\/\S+$/, { message: '$property must be an http(s):// URL' }) : IsString();
  return stacked(trimmed, rules.optional === true && IsOptional(), check);
}

/**
 * Env string -> cron expression: trimmed, and the original service's `cron(0 2 * * *)` form
 * unwrapped, so its .env keeps working; empty keeps the default.
 */
export const EnvCronSchedule = (): PropertyDecorator =>
  Transform(({ value }) => {
    if (value === undefined || value === null || String(value).trim() === '') return undefined;
    const trimmed = String(value).trim();
    return /^cron\((.*)\)$/i.exec(trimmed)?.[1].trim() ?? trimmed;
  });

function flatten(errors: ValidationError[], prefix = ''): { variable: string; value: unknown; rules: string[] }[] {
  return errors.flatMap((e) => {
    const variable = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ variable, value: e.value, rules: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], variable)];
  });
}

/**
 * Applies a class's `renamedVariables` (old name -> new name): an old name's value is used when the new
 * name is not set, with a warning either way. Returns, per new name, the old name its value came from.
 */
function applyRenames(cls: object, present: Record<string, string | undefined>): Record<string, string> {
  const renamed = (cls as { renamedVariables?: Readonly<Record<string, string>> }).renamedVariables ?? {};
  const source: Record<string, string> = {};
  for (const [old, current] of Object.entries(renamed)) {
    if (present[old] === undefined) continue;
    const used = present[current] === undefined;
    if (used) {
      present[current] = present[old];
      source[current] = old;
    }
    new Logger('config').warn(
      used ? `${old} is deprecated: set ${current} instead` : `${old} is deprecated and ignored: ${current} is set`,
      { variable: old, replacement: current },
    );
    delete present[old];
  }
  return source;
}

/**
 * Validates an environment against a class-validator class whose property names are the
 * variable names and whose initialisers are the defaults. Throws ConfigValidationError naming
 * every bad variable (as the environment spelled it) and rule.
 */
export function validateEnv<T extends object>(cls: new () => T, env: Record<string, string | undefined>): T {
  // An empty variable means "use the default", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const source = applyRenames(cls, present);
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((m) => m.propertyName),
  );
  // Every app's env (BaseServiceEnv) reads both URLs: the original service's .env gives them in parts.
  if (declared.has('DATABASE_URL') && declared.has('RABBITMQ_URL')) {
    const partProblems = applyConnectionParts(present);
    if (partProblems.length > 0) throw new ConfigValidationError(partProblems);
  }
  const instance = plainToInstance(cls, present, { exposeDefaultValues: true });
  const errors = validateSync(instance, { forbidUnknownValues: false, skipMissingProperties: false });
  if (errors.length > 0) throw new ConfigValidationError(flatten(errors).map((p) => ({ ...p, variable: source[p.variable] ?? p.variable })));
  // Keep only the declared variables (defaults included) so the config object is what the class says.
  for (const key of Object.keys(instance)) {
    if (!declared.has(key)) delete (instance as Record<string, unknown>)[key];
  }
  return instance;
}

/**
 * The one place an app reads process.env: validates it, or prints the problem and exits 1.
 * Call it first thing in main.ts.
 */
export function loadConfigOrExit<T extends object>(cls: new () => T, env = process.env): T {
  try {
    return validateEnv(cls, env);
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
