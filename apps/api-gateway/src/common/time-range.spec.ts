import { BadRequestException } from '@nestjs/common';

import { MAX_BUCKETS, resolveTimeRange } from './time-range';

const NOW = Date.UTC(2026, 2, 10, 12);
const H = 3_600_000;
const d = (ms: number) => new Date(ms);

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadRequestException) return (err.getResponse() as { field?: string }).field;
    throw err;
  }
  return undefined;
}

describe('resolveTimeRange', () => {
  it.each([
    ['no input: hourly, the last 7 days', {}, { granularity: 'hour', start: d(NOW - 168 * H), end: d(NOW) }],
    ['start only: up to now', { start_time: d(NOW - H) }, { granularity: 'hour', start: d(NOW - H), end: d(NOW) }],
    ['end only: the 7 days before it', { end_time: d(NOW - 24 * H) }, { granularity: 'hour', start: d(NOW - 192 * H), end: d(NOW - 24 * H) }],
    ['both, day granularity', { granularity: 'day' as const, start_time: d(0), end_time: d(86_400_000) }, { granularity: 'day', start: d(0), end: d(86_400_000) }],
    ['exactly MAX_BUCKETS hours', { start_time: d(NOW - MAX_BUCKETS * H), end_time: d(NOW) }, { granularity: 'hour', start: d(NOW - MAX_BUCKETS * H), end: d(NOW) }],
  ])('%s', (_name, input, expected) => {
    expect(resolveTimeRange(input, NOW)).toEqual(expected);
  });

  it.each([
    ['end equal to start', { start_time: d(NOW - H), end_time: d(NOW - H) }, 'end_time'],
    ['end before start', { start_time: d(NOW - H), end_time: d(NOW - 2 * H) }, 'end_time'],
    ['start in the future without end', { start_time: d(NOW + 1) }, 'start_time'],
    ['start exactly now without end', { start_time: d(NOW) }, 'start_time'],
    ['one bucket too many', { start_time: d(NOW - (MAX_BUCKETS + 1) * H), end_time: d(NOW) }, 'start_time'],
    ['a year of hours', { granularity: 'hour' as const, start_time: d(NOW - 500 * 24 * H), end_time: d(NOW) }, 'start_time'],
  ])('refuses %s naming %s', (_name, input, field) => {
    expect(fieldOf(() => resolveTimeRange(input, NOW))).toBe(field);
  });

  it('allows the same span in coarser buckets', () => {
    expect(resolveTimeRange({ granularity: 'week', start_time: d(NOW - 500 * 24 * H), end_time: d(NOW) }, NOW).granularity).toBe('week');
  });
});
