import { Granularity } from '@model-service/repositories';

import { fieldError } from '../http/api-error';

export const DEFAULT_RANGE_MS = 7 * 24 * 3600_000;
const BUCKET_MS: Record<Granularity, number> = { hour: 3600_000, day: 86_400_000, week: 7 * 86_400_000 };
/** Most buckets one time-series request may ask for (e.g. ~416 days of hours). */
export const MAX_BUCKETS = 10_000;

export interface TimeRangeInput {
  granularity?: Granularity;
  start_time?: Date;
  end_time?: Date;
}

export interface TimeRange {
  granularity: Granularity;
  start: Date;
  /** Exclusive. */
  end: Date;
}

/**
 * Fills the defaults (hour; the `defaultRangeMs` up to now, or up to / from whichever end was given)
 * and checks what the DTO rules cannot see alone: end after start once defaults apply, and at most
 * MAX_BUCKETS buckets. Errors are 400s naming the field.
 */
export function resolveTimeRange(input: TimeRangeInput, now: number, defaultRangeMs = DEFAULT_RANGE_MS): TimeRange {
  const granularity = input.granularity ?? 'hour';
  let start: Date;
  let end: Date;
  if (input.start_time && input.end_time) {
    start = input.start_time;
    end = input.end_time;
  } else if (input.start_time) {
    start = input.start_time;
    end = new Date(now);
    if (end.getTime() <= start.getTime()) {
      throw fieldError('start_time', 'start_time must be in the past when end_time is not given');
    }
  } else if (input.end_time) {
    end = input.end_time;
    start = new Date(end.getTime() - defaultRangeMs);
  } else {
    end = new Date(now);
    start = new Date(now - defaultRangeMs);
  }
  if (end.getTime() <= start.getTime()) throw fieldError('end_time', 'end_time must be after start_time');
  const buckets = (end.getTime() - start.getTime()) / BUCKET_MS[granularity];
  if (buckets > MAX_BUCKETS) {
    throw fieldError(
      'start_time',
      `the range from start_time to end_time spans ${Math.ceil(buckets)} ${granularity} buckets; at most ${MAX_BUCKETS} are allowed`,
    );
  }
  return { granularity, start, end };
}
