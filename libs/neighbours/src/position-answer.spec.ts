import { MalformedPositionAnswerError, parsePositionAnswer, positionOfStrategy } from './position-answer';

describe('parsePositionAnswer', () => {
  const full = { asset: 'BTCUSDT', strategy_id: 's1', size: 0.5, average_entry_price: 100, current_price: 103, unrealized_pnl_pct: 3, position_size_norm: 0.4 };

  it.each<[string, unknown, Array<Record<string, unknown>>]>([
    ['the simulator shape { asset, positions: [...] }', { asset: 'BTCUSDT', positions: [full] }, [{ strategyId: 's1', size: 0.5, unrealizedPnlPct: 3, positionSizeNorm: 0.4, currentPrice: 103 }]],
    ['a bare list', [full], [{ strategyId: 's1', size: 0.5 }]],
    ['one bare position', full, [{ size: 0.5 }]],
    ['{ position: {...} }', { position: full }, [{ size: 0.5 }]],
    ['{ data: [...] } with camelCase and numeric strings', { data: [{ symbol: 'BTCUSDT', strategyId: 's2', quantity: '2', avgPrice: '100', markPrice: '98' }] }, [{ strategyId: 's2', size: 2, unrealizedPnlPct: -2, positionSizeNorm: null }]],
    ['an empty list (flat)', { positions: [] }, []],
    ['a closed position (size 0)', { positions: [{ ...full, closed_at: '2026-01-01T00:00:00Z' }] }, [{ size: 0 }]],
    ['positions of other assets left out', { positions: [{ ...full, asset: 'ETHUSDT' }, { ...full, strategy_id: null }] }, [{ strategyId: null }]],
  ])('reads %s', (_name, body, expected) => {
    const answer = parsePositionAnswer(body, 'BTCUSDT');
    expect(answer.positions).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(answer.positions[i]).toMatchObject(e));
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'ok'],
    ['an object without positions', { hello: 'world' }],
    ['a list with a non-object', [full, 3]],
    ['a negative size', { positions: [{ ...full, size: -1 }] }],
    ['a size that is not a number', { positions: [{ ...full, size: 'lots' }] }],
  ])('refuses %s', (_name, body) => {
    expect(() => parsePositionAnswer(body, 'BTCUSDT')).toThrow(MalformedPositionAnswerError);
  });

  it("picks the strategy's own position, else the strategy-less one, else none", () => {
    const answer = parsePositionAnswer([{ ...full, strategy_id: 'other', size: 9 }, { ...full, strategy_id: null, size: 1 }, { ...full, size: 0.5 }], 'BTCUSDT');
    expect(positionOfStrategy(answer, 's1')?.size).toBe(0.5);
    expect(positionOfStrategy(answer, 'unknown')?.size).toBe(1);
    expect(positionOfStrategy(parsePositionAnswer([{ ...full, strategy_id: 'other' }], 'BTCUSDT'), 's1')).toBeNull();
  });

  it('matches the symbol case-insensitively and keeps the asset as asked', () => {
    const answer = parsePositionAnswer({ positions: [{ ...full, asset: 'btcusdt' }, { ...full, asset: undefined, symbol: 'EthUsdt' }, { ...full, asset: undefined, symbol: 'bTcUsDt', size: 2 }] }, 'BTCUSDT');
    expect(answer).toMatchObject({ asset: 'BTCUSDT', positions: [{ size: 0.5 }, { size: 2 }] });
    expect(answer.positions).toHaveLength(2);
  });

  it('does not take a bare `price` as the current price (it may be the entry or an order price)', () => {
    const [p] = parsePositionAnswer({ asset: 'BTCUSDT', size: 1, average_entry_price: 100, price: 120 }, 'BTCUSDT').positions;
    expect(p).toMatchObject({ currentPrice: null, averageEntryPrice: 100, unrealizedPnlPct: null });
  });

  it('reads the id, entry price and times a snapshot needs; unreadable times are null', () => {
    const [p] = parsePositionAnswer(
      [{ ...full, position_id: 'p-9', opened_at: '2026-03-01T10:00:00Z', updated_at: 1_772_359_200_000 }, { ...full, id: 7, opened_at: 'yesterday', timestamp: '' }],
      'BTCUSDT',
    ).positions;
    expect(p).toMatchObject({ positionId: 'p-9', averageEntryPrice: 100, openedAt: '2026-03-01T10:00:00Z', timestamp: 1_772_359_200_000 });
    const [, q] = parsePositionAnswer([full, { ...full, id: 7, opened_at: 'yesterday', timestamp: '' }], 'BTCUSDT').positions;
    expect(q).toMatchObject({ positionId: '7', openedAt: null, timestamp: null });
    expect(parsePositionAnswer({ ...full, average_entry_price: -1 }, 'BTCUSDT').positions[0].averageEntryPrice).toBeNull();
  });
});
