import { OrderExecutionEvent, parse, PositionUpdateEvent } from '@model-service/signals';
import { exampleTradingSignal } from '@model-service/signals/testing';

import { MarketQuote } from '../market/market-state';
import { executionEvent, positionIdOf, positionUpdate, positionView } from './event-builders';
import { LedgerPosition } from './ledger';

const SIM = Date.UTC(2031, 4, 6, 7, 8, 9);
const quote: MarketQuote = {
  asset: 'BTCUSDT',
  time: SIM,
  price: 50_010,
  bid: 50_009,
  ask: 50_011,
  spread: 2,
  volume24h: 1234,
  turnover24h: 61_000_000,
  high24h: 51_000,
  low24h: 49_000,
  prevPrice24h: 49_500,
  volatility: 0.0012,
  imbalance: 0,
  topDepth: 5,
};
const fill = { price: 50_011, quantity: 0.002, notional: 100.022, fee: 0.100022 };

describe('executionEvent', () => {
  const signal = exampleTradingSignal({ asset: 'BTCUSDT', signal_type: 'sell', market_data_snapshot: { price: 50_000 } } as never);

  it('is a valid OrderExecutionEvent stamped with simulated time and the signal’s own time and price', () => {
    const e = parse(OrderExecutionEvent, executionEvent({ orderId: 'sim-1', signal, fill, quote, realizedPnl: 2.5, returnPercent: 1.25 }));
    expect(e).toMatchObject({
      event_id: 'exec-sim-1',
      order_id: 'sim-1',
      signal_id: signal.signal_id,
      strategy_id: signal.strategy_id,
      side: 'sell',
      execution_price: 50_011,
      execution_quantity: 0.002,
      execution_fees: 0.100022,
      executed_at: new Date(SIM).toISOString(),
      signal_price: 50_000,
      signal_timestamp: signal.timestamp,
      market_conditions: { spread: 2, volume_24h: 1234, volatility: 0.0012 },
      trace_id: signal.trace_id,
    });
    expect(e.performance.slippage).toBeCloseTo(11, 10);
    expect(e.performance.slippage_percent).toBeCloseTo(0.022, 10);
    expect(e.performance.realized_pnl).toBe(2.5);
    expect(e.performance.return_percent).toBe(1.25);
  });

  it('leaves realized figures out on fills that do not reduce a position', () => {
    const e = executionEvent({ orderId: 'sim-2', signal, fill, quote, realizedPnl: null, returnPercent: null });
    expect(e.performance).not.toHaveProperty('realized_pnl');
    expect(e.performance).not.toHaveProperty('return_percent');
  });
});

describe('position events', () => {
  const open: LedgerPosition = {
    asset: 'ETHUSDT',
    strategyId: 'momentum_v1',
    size: 2,
    averageEntryPrice: 100,
    entryFees: 0.2,
    realizedPnl: -1,
    openedAt: SIM - 60_000,
    closedAt: null,
    currentPrice: 103,
  };

  it('PositionUpdateEvent: valid, with unrealized PnL and its percent, simulated timestamps', () => {
    const e = parse(PositionUpdateEvent, positionUpdate('row-1', open, SIM, 'trace-1'));
    expect(e).toMatchObject({
      position_id: positionIdOf('row-1', open),
      asset: 'ETHUSDT',
      strategy_id: 'momentum_v1',
      size: 2,
      average_entry_price: 100,
      current_price: 103,
      unrealized_pnl: 6,
      realized_pnl: -1,
      opened_at: new Date(SIM - 60_000).toISOString(),
      timestamp: new Date(SIM).toISOString(),
      trace_id: 'trace-1',
    });
    expect(e.unrealized_pnl_pct).toBeCloseTo(3, 10);
  });

  it('a closed position is a valid update with size 0, and a re-opened one gets a new position_id', () => {
    const closed = { ...open, size: 0, closedAt: SIM };
    expect(parse(PositionUpdateEvent, positionUpdate('row-1', closed, SIM, 't')).size).toBe(0);
    expect(positionIdOf('row-1', { openedAt: SIM })).not.toBe(positionIdOf('row-1', open));
  });

  it('the API view adds position_size_norm = value / equity', () => {
    const v = positionView('row-1', open, SIM, 1030);
    expect(v['position_value']).toBe(206);
    expect(v['position_size_norm']).toBeCloseTo(0.2, 10);
    expect(v).not.toHaveProperty('trace_id');
    expect(positionView('row-1', open, SIM, 0)['position_size_norm']).toBe(0);
  });
});
