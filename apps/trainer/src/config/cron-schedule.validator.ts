import { CronExpressionParser } from 'cron-parser';
import { ValidateBy } from 'class-validator';

/** Why `schedule` is not a usable cron expression, or null when it is (an empty schedule means "off"). */
export function cronProblem(schedule: string): string | null {
  if (schedule.trim() === '') return null;
  try {
    CronExpressionParser.parse(schedule, { tz: 'UTC' }).next();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** A cron expression cron-parser accepts (5 or 6 fields), or empty. */
export function IsCronSchedule(): PropertyDecorator {
  return ValidateBy({
    name: 'isCronSchedule',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && cronProblem(value) === null,
      defaultMessage: (args) =>
        `${args?.property ?? 'schedule'} must be a cron expression such as "0 3 * * *" or empty (${cronProblem(String(args?.value)) ?? 'not a string'})`,
    },
  });
}

