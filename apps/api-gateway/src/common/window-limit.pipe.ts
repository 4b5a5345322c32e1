import { Clock } from '@model-service/util';
import { ArgumentMetadata, PipeTransform } from '@nestjs/common';

import { fieldError } from '../http/api-error';

const DAY_MS = 86_400_000;

/**
 * Every time window a query asks for is bounded: a validated query object with a `start_time` (and
 * an `end_time`, default now) spanning more than the configured days is refused with a 400 naming
 * start_time. Runs after the validation pipe, so the times are Dates already; endpoints keep their
 * own defaults for a missing start_time (those are inside the limit).
 */
export class WindowLimitPipe implements PipeTransform {
  constructor(
    private readonly maxDays: number,
    private readonly clock: Clock,
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'query' || typeof value !== 'object' || value === null) return value;
    const { start_time: start, end_time: end } = value as { start_time?: unknown; end_time?: unknown };
    if (!(start instanceof Date)) return value;
    const endMs = end instanceof Date ? end.getTime() : this.clock.now();
    const days = (endMs - start.getTime()) / DAY_MS;
    if (days > this.maxDays) {
      throw fieldError(
        'start_time',
        `the window from start_time to ${end instanceof Date ? 'end_time' : 'now'} spans ${Math.ceil(days)} days; at most ${this.maxDays} are allowed`,
      );
    }
    return value;
  }
}
