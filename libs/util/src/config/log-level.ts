import { Transform } from 'class-transformer';

/** The levels our logger knows. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/**
 * Level names operators bring from the original Python service (its logging module's names, in
 * any case) and from other tools, mapped onto ours. Python's CRITICAL/FATAL have no level above
 * error here; NOTSET means "everything".
 */
const ALIASES: Record<string, (typeof LOG_LEVELS)[number]> = {
  critical: 'error',
  fatal: 'error',
  error: 'error',
  warning: 'warn',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  notset: 'debug',
  verbose: 'debug',
  trace: 'debug',
};

/** A log level as written in an env file (`INFO`, `WARNING`, `warn`, ...) → ours; undefined when unknown. */
export function normaliseLogLevel(value: string): (typeof LOG_LEVELS)[number] | undefined {
  return ALIASES[value.trim().toLowerCase()];
}

/** Env string -> our log level, case-insensitive with Python's names; anything else stays as given (and fails @IsIn). */
export const EnvLogLevel = (): PropertyDecorator =>
  Transform(({ value }) => {
    if (value === undefined || value === null || String(value).trim() === '') return undefined;
    return normaliseLogLevel(String(value)) ?? value;
  });
