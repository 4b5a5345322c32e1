import { CronExpressionParser } from 'cron-parser';

/** The next time (UTC) the cron schedule fires after `now`, or null when there is no schedule. */
export function nextScheduledRun(schedule: string, now: number): Date | null {
  if (schedule.trim() === '') return null;
  const next = CronExpressionParser.parse(schedule, { currentDate: new Date(now), tz: 'UTC' }).next();
  return new Date(next.getTime());
}
