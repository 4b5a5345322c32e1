import { buildDatasetSql, cursorOf, mapDatasetRow, RawDatasetRow } from './execution-dataset.query';

const raw: RawDatasetRow = {
  signal_row_id: 7,
  signal_id: '1b47bbad-b8fe-432f-b0b2-d0f1fd4bb03c',
  strategy_id: 'momentum',
  asset: 'BTCUSDT',
  signal_type: 'buy',
  amount: 100.5,
  confidence: 0.61,
  signal_timestamp: '2026-01-01T00:00:01.000123+00:00',
  model_version: null,
  is_warmup: true,
  market_data_snapshot: { price: 50001 },
  execution_id: 9,
  event_id: 'ev-9',
  order_id: 'o-9',
  side: 'buy',
  execution_price: 50000.5,
  execution_quantity: 0.002,
  execution_fees: '0.05',
  executed_at: '2026-01-01T00:00:02+00:00',
  signal_price: null,
  market_conditions: { spread: 1.2 },
  performance: {},
  realized_pnl: 'NaN',
  return_percent: null,
  slippage_percent: 0.001,
  is_partial_fill: false,
};

describe('buildDatasetSql', () => {
  it('puts every value in bind parameters, none in the SQL text', () => {
    const evil = "x'); DROP TABLE trading_signals; --";
    const { sql, params } = buildDatasetSql(
      { strategyId: evil, from: new Date(0), to: new Date(1) },
      { signalTimestamp: evil, signalRowId: '1', executionId: '2' },
      500,
    );
    expect(sql).not.toContain(evil);
    expect(sql).not.toContain('500');
    expect(params).toEqual([evil, new Date(0), new Date(1), evil, '1', '2', 500]);
    expect(sql.match(/\$\d+/g)?.sort()).toEqual(['$1', '$2', '$3', '$4', '$4', '$5', '$6', '$7'].sort());
  });

  it.each([
    [{}, null, null, 0],
    [{ strategyId: 's' }, null, null, 1],
    [{ strategyId: 's' }, null, 10, 2],
    [{}, { signalTimestamp: 't', signalRowId: '1', executionId: '1' }, 10, 4],
  ] as const)('filters %j after %j limit %p -> %i parameters', (query, after, limit, n) => {
    const { sql, params } = buildDatasetSql(query, after, limit);
    expect(params).toHaveLength(n);
    expect(sql).toMatch(/ORDER BY d\.signal_timestamp, d\.signal_row_id, d\.execution_id/);
    expect(/LIMIT/.test(sql)).toBe(limit !== null);
  });
});

describe('mapDatasetRow / cursorOf', () => {
  it('parses numbers and dates deliberately and keeps ids as strings', () => {
    const row = mapDatasetRow(raw);
    expect(row).toMatchObject({
      signalRowId: '7',
      executionId: '9',
      amount: 100.5,
      executionFees: 0.05,
      signalPrice: null,
      signalTimestamp: new Date('2026-01-01T00:00:01.000Z'),
      executedAt: new Date('2026-01-01T00:00:02Z'),
    });
    expect(row.realizedPnl).toBeNaN();
  });

  it('keeps the microseconds of the signal timestamp in the cursor', () => {
    expect(cursorOf(raw)).toEqual({
      signalTimestamp: '2026-01-01T00:00:01.000123+00:00',
      signalRowId: '7',
      executionId: '9',
    });
  });
});
