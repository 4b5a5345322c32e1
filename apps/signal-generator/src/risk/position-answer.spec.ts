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
});
