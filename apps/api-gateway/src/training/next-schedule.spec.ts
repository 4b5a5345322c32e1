import { nextScheduledRun } from './next-schedule';

const at = (iso: string) => Date.parse(iso);

describe('nextScheduledRun', () => {
  it.each([
    ['', '2026-03-10T12:00:00Z', null],
    ['  ', '2026-03-10T12:00:00Z', null],
    ['0 3 * * *', '2026-03-10T12:00:00Z', '2026-03-11T03:00:00.000Z'],
    ['0 3 * * *', '2026-03-10T02:59:59Z', '2026-03-10T03:00:00.000Z'],
    ['0 3 * * *', '2026-03-10T03:00:00Z', '2026-03-11T03:00:00.000Z'],
    ['*/15 * * * *', '2026-03-10T12:07:00Z', '2026-03-10T12:15:00.000Z'],
    ['0 0 * * 1', '2026-03-10T12:00:00Z', '2026-03-16T00:00:00.000Z'],
  ])('%j after %s -> %s', (schedule, now, expected) => {
    expect(nextScheduledRun(schedule, at(now))?.toISOString() ?? null).toBe(expected);
  });
});
