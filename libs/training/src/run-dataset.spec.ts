import { timeWindows } from './run-dataset';

const d = (iso: string): Date => new Date(iso);

describe('timeWindows', () => {
  it('cuts evenly and keeps the query’s own open ends on the outer windows', () => {
    const w = timeWindows({ strategyId: 's' }, d('2026-01-01T00:00:00Z'), d('2026-01-01T04:00:00Z'), 4);
    expect(w).toEqual([
      { strategyId: 's', from: undefined, to: d('2026-01-01T01:00:00Z') },
      { strategyId: 's', from: d('2026-01-01T01:00:00Z'), to: d('2026-01-01T02:00:00Z') },
      { strategyId: 's', from: d('2026-01-01T02:00:00Z'), to: d('2026-01-01T03:00:00Z') },
      { strategyId: 's', from: d('2026-01-01T03:00:00Z'), to: undefined },
    ]);
  });

  it('keeps explicit query bounds on the outer windows', () => {
    const from = d('2025-12-31T00:00:00Z');
    const to = d('2026-01-02T00:00:00Z');
    const w = timeWindows({ from, to }, d('2026-01-01T00:00:00Z'), d('2026-01-01T02:00:00Z'), 2);
    expect(w).toEqual([
      { from, to: d('2026-01-01T01:00:00Z') },
      { from: d('2026-01-01T01:00:00Z'), to },
    ]);
  });

  it.each<[string, number, string]>([
    ['one reader', 1, '2026-01-01T01:00:00Z'],
    ['no span', 3, '2026-01-01T00:00:00Z'],
    ['bounds reversed', 3, '2025-12-31T00:00:00Z'],
  ])('a single window when %s', (_name, k, last) => {
    expect(timeWindows({ strategyId: 's' }, d('2026-01-01T00:00:00Z'), d(last), k)).toEqual([{ strategyId: 's' }]);
  });
});
