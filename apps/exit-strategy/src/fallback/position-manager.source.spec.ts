import { MalformedPositionAnswerError, parsePositionAnswer } from '@model-service/neighbours';

import { snapshotsFromAnswer } from './position-manager.source';

const parsePositionsAnswer = (body: unknown, asset: string, fetchedAt: number) => snapshotsFromAnswer(parsePositionAnswer(body, asset), fetchedAt);

const NOW = Date.UTC(2026, 2, 1, 12);
const eth = {
  position_id: 'p-1',
  asset: 'ETHUSDT',
  strategy_id: 'momentum',
  size: '0.5',
  average_entry_price: '3000',
  current_price: '3090',
  unrealized_pnl_pct: 3,
  opened_at: '2026-03-01T10:00:00Z',
  updated_at: '2026-03-01T11:59:59Z',
};

describe('parsePositionsAnswer', () => {
  it('reads one snake_case position with numbers as strings', () => {
    expect(parsePositionsAnswer(eth, 'ETHUSDT', NOW)).toEqual([
      {
        position_id: 'p-1',
        asset: 'ETHUSDT',
        strategy_id: 'momentum',
        size: 0.5,
        average_entry_price: 3000,
        current_price: 3090,
        unrealized_pnl_pct: 3,
        opened_at: '2026-03-01T10:00:00Z',
        timestamp: '2026-03-01T11:59:59Z',
      },
    ]);
  });

  it.each([
    ['wrapped in data', { data: eth }, 1],
    ['wrapped in position', { position: eth }, 1],
    ['a list under positions', { positions: [eth, { ...eth, strategy_id: 'other' }] }, 2],
    ['a bare list', [eth], 1],
    ['another asset', { ...eth, asset: 'BTCUSDT' }, 0],
    ['the asset in lower case', { ...eth, asset: 'ethusdt' }, 1],
    ['no price', { ...eth, current_price: null }, 0],
    ['only a bare price (ambiguous: not taken as the current price)', { ...eth, current_price: null, price: '3090' }, 0],
    ['no entry price', { ...eth, average_entry_price: null }, 0],
  ])('%s → %d position(s)', (_name, body, count) => {
    expect(parsePositionsAnswer(body, 'ETHUSDT', NOW)).toHaveLength(count);
  });

  it.each([
    ['a negative size', { ...eth, size: -1 }],
    ['not an object', 'nope'],
  ])('%s: the answer is malformed (the fallback counts the source as failed), not "no positions"', (_name, body) => {
    expect(() => parsePositionsAnswer(body, 'ETHUSDT', NOW)).toThrow(MalformedPositionAnswerError);
  });

  it('reads camelCase, derives a missing pnl%, and stamps a missing time with the fetch time', () => {
    const [p] = parsePositionsAnswer(
      { symbol: 'ETHUSDT', quantity: 2, averageEntryPrice: 100, markPrice: 97.5 },
      'ETHUSDT',
      NOW,
    );
    expect(p).toMatchObject({ size: 2, average_entry_price: 100, current_price: 97.5, unrealized_pnl_pct: -2.5, timestamp: NOW, strategy_id: null });
  });

  it('reads a position with closed_at as closed (size 0)', () => {
    expect(parsePositionsAnswer({ ...eth, closed_at: '2026-03-01T11:00:00Z' }, 'ETHUSDT', NOW)[0].size).toBe(0);
  });
});
