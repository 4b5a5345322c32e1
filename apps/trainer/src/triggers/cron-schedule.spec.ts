import { nextFireTime } from './cron-schedule';

const at = (iso: string): number => Date.parse(iso);

describe('nextFireTime', () => {
  it.each<[string, string, string | null]>([
    ['0 3 * * *', '2026-01-01T02:59:59.000Z', '2026-01-01T03:00:00.000Z'],
    ['0 3 * * *', '2026-01-01T03:00:00.000Z', '2026-01-02T03:00:00.000Z'], // exactly at the time: the next one
    ['0 3 * * *', '2026-01-01T03:00:00.001Z', '2026-01-02T03:00:00.000Z'],
    ['*/15 * * * *', '2026-01-01T10:14:00.000Z', '2026-01-01T10:15:00.000Z'],
    ['*/2 * * * * *', '2026-01-01T00:00:01.500Z', '2026-01-01T00:00:02.000Z'], // six fields: seconds
    ['', '2026-01-01T00:00:00.000Z', null],
    ['   ', '2026-01-01T00:00:00.000Z', null],
  ])('%j after %s → %s', (schedule, after, expected) => {
    expect(nextFireTime(schedule, at(after))?.toISOString() ?? null).toBe(expected);
  });

  it('throws for a malformed schedule', () => {
    expect(() => nextFireTime('61 * * * *', 0)).toThrow();
  });
});
