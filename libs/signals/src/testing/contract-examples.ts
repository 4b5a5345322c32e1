import { randomUUID } from 'node:crypto';

import { ModelEvent } from '../contracts/model.event';
import { OrderExecutionEvent } from '../contracts/order-execution.event';
import { PositionUpdateEvent } from '../contracts/position-update.event';
import { TradingSignal } from '../contracts/trading-signal';
import { TrainingCommand } from '../contracts/training-command';
import { applyOverrides, Overrides } from './overrides';

/** The instant every example is stamped with (the same as FakeClock's default, 2026-01-01T00:00:00Z). */
export const EXAMPLE_TIME = '2026-01-01T00:00:00.000Z';
export const EXAMPLE_TS = Date.UTC(2026, 0, 1);
export const EXAMPLE_STRATEGY = 'momentum_v1';

const at = (offsetMs: number): string => new Date(EXAMPLE_TS + offsetMs).toISOString();

/**
 * A valid TradingSignal (ARCHITECTURE.md shape) as a plain object: a warm-up BUY of 100 USDT of BTCUSDT at 50,000.
 * Ids are fresh UUIDs on every call; pass overrides at any depth, `undefined` to drop a field.
 */
export function exampleTradingSignal(overrides?: Overrides<TradingSignal>): TradingSignal {
  const base: TradingSignal = {
    signal_id: randomUUID(),
    signal_type: 'buy',
    asset: 'BTCUSDT',
    amount: 100,
    confidence: 0.72,
    timestamp: EXAMPLE_TIME,
    strategy_id: EXAMPLE_STRATEGY,
    model_version: null,
    is_warmup: true,
    market_data_snapshot: {
      price: 50000,
      spread: 1.5,
      volume_24h: 1234.5,
      volatility: 0.012,
      orderbook_depth: { bid_depth: 12.5, ask_depth: 10.1, imbalance: 0.1062 },
      technical_indicators: { rsi_14: 55.2, ema_21: 49876.3, macd: null },
    },
    metadata: { reason: 'warm-up: upward momentum' },
    trace_id: randomUUID(),
  };
  return applyOverrides(base, overrides);
}

/** A valid OrderExecutionEvent: the fill of a BUY of 0.002 BTC at 50,010 (10 USDT slippage) two seconds after the signal. */
export function exampleExecutionEvent(overrides?: Overrides<OrderExecutionEvent>): OrderExecutionEvent {
  const base: OrderExecutionEvent = {
    event_id: randomUUID(),
    order_id: randomUUID(),
    signal_id: randomUUID(),
    strategy_id: EXAMPLE_STRATEGY,
    asset: 'BTCUSDT',
    side: 'buy',
    execution_price: 50010,
    execution_quantity: 0.002,
    execution_fees: 0.1,
    executed_at: at(2000),
    signal_price: 50000,
    signal_timestamp: EXAMPLE_TIME,
    market_conditions: { spread: 1.5, volume_24h: 1234.5, volatility: 0.012 },
    performance: { slippage: 10, slippage_percent: 0.02, realized_pnl: null, return_percent: null },
    trace_id: randomUUID(),
  };
  return applyOverrides(base, overrides);
}

/** The execution of a given signal: same ids, side, asset and strategy; quantity = amount / price; filled at `price`. */
export function exampleExecutionForSignal(
  signal: TradingSignal,
  overrides?: Overrides<OrderExecutionEvent> & { price?: number },
): OrderExecutionEvent {
  const signalPrice = signal.market_data_snapshot.price;
  const price = overrides?.price ?? signalPrice;
  const executedAt = new Date((Date.parse(signal.timestamp) || EXAMPLE_TS) + 2000).toISOString();
  const { price: _ignored, ...rest } = overrides ?? {};
  const linked = exampleExecutionEvent({
    signal_id: signal.signal_id,
    strategy_id: signal.strategy_id,
    asset: signal.asset,
    side: signal.signal_type,
    execution_price: price,
    execution_quantity: signal.amount / signalPrice,
    execution_fees: Math.round(signal.amount * 0.001 * 1e8) / 1e8,
    executed_at: executedAt,
    signal_price: signalPrice,
    signal_timestamp: signal.timestamp,
    performance: { slippage: price - signalPrice, slippage_percent: ((price - signalPrice) / signalPrice) * 100 },
    trace_id: signal.trace_id,
  });
  return applyOverrides(linked, rest);
}

/** A valid PositionUpdateEvent: 0.002 BTC bought at 50,000, now at 51,000 (+2 %), one hour later. */
export function examplePositionUpdate(overrides?: Overrides<PositionUpdateEvent>): PositionUpdateEvent {
  const base: PositionUpdateEvent = {
    position_id: randomUUID(),
    asset: 'BTCUSDT',
    strategy_id: EXAMPLE_STRATEGY,
    size: 0.002,
    average_entry_price: 50000,
    current_price: 51000,
    unrealized_pnl: 2,
    unrealized_pnl_pct: 2,
    realized_pnl: 0,
    opened_at: EXAMPLE_TIME,
    timestamp: at(3_600_000),
    trace_id: randomUUID(),
  };
  return applyOverrides(base, overrides);
}

/** A valid ModelEvent: version `momentum_v1-20260101T000000` activated for momentum_v1. */
export function exampleModelEvent(overrides?: Overrides<ModelEvent>): ModelEvent {
  const base: ModelEvent = {
    event_type: 'model_activated',
    strategy_id: EXAMPLE_STRATEGY,
    version: `${EXAMPLE_STRATEGY}-20260101T000000`,
    previous_version: null,
    checksum: 'ab'.repeat(32),
    timestamp: EXAMPLE_TIME,
    trace_id: randomUUID(),
    metadata: { accuracy: 0.78, baseline_accuracy: 0.55 },
  };
  return applyOverrides(base, overrides);
}

/** A valid TrainingCommand: train momentum_v1, requested by hand. */
export function exampleTrainingCommand(overrides?: Overrides<TrainingCommand>): TrainingCommand {
  const base: TrainingCommand = {
    command: 'train',
    strategy_id: EXAMPLE_STRATEGY,
    reason: 'manual',
    requested_by: 'ops',
    timestamp: EXAMPLE_TIME,
    trace_id: randomUUID(),
  };
  return applyOverrides(base, overrides);
}
