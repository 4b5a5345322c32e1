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
