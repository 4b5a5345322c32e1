import { CronExpressionParser } from 'cron-parser';

/** The next firing time (UTC) of a cron schedule strictly after `afterMs`; null for an empty schedule. */
export function nextFireTime(schedule: string, afterMs: number): Date | null {
  if (schedule.trim() === '') return null;
  const next = CronExpressionParser.parse(schedule, { currentDate: new Date(afterMs), tz: 'UTC' }).next();
  return new Date(next.getTime());
}

/** setTimeout's longest delay; longer waits are split. */
export const MAX_TIMER_MS = 2_147_483_647;
