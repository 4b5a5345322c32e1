import { CronExpressionParser } from 'cron-parser';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** True for an empty string (no schedule) or a cron expression cron-parser accepts. */
export function isCronExpressionOrEmpty(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value.trim() === '') return true;
  try {
    CronExpressionParser.parse(value, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

function rule(
  name: string,
  message: (property: string) => string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: message(String(propertyName)), ...options },
      validator: { validate },
    });
}

/** class-validator rule: a cron expression (5 or 6 fields) or empty. */
export function IsCronExpression(options?: ValidationOptions): PropertyDecorator {
  return rule('isCronExpression', (p) => `${p} must be a cron expression such as "0 3 * * *" or empty`, isCronExpressionOrEmpty, options);
}

/** class-validator rule: the (boolean) setting may not be true when NODE_ENV is production. */
export function NotTrueInProduction(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'notTrueInProduction',
    (p) => `${p} must not be true when NODE_ENV=production`,
    (value, args) => !(value === true && (args.object as { NODE_ENV?: string }).NODE_ENV === 'production'),
    options,
  );
}

/** The example value in .env.example: never acceptable in production. */
export const EXAMPLE_API_KEY = 'change-me';
export const MIN_PRODUCTION_KEY_LENGTH = 32;

/** class-validator rule: with NODE_ENV=production every comma-separated key is long and not the example value. */
export function StrongKeysInProduction(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'strongKeysInProduction',
    (p) => `${p} must be keys of at least ${MIN_PRODUCTION_KEY_LENGTH} characters, none of them the example value, when NODE_ENV=production`,
    (value, args) => {
      if ((args.object as { NODE_ENV?: string }).NODE_ENV !== 'production' || typeof value !== 'string') return true;
      const keys = value.split(',').map((k) => k.trim()).filter((k) => k.length > 0);
      return keys.every((k) => k.length >= MIN_PRODUCTION_KEY_LENGTH && k !== EXAMPLE_API_KEY);
    },
    options,
  );
}
