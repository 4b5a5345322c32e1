import type { OrderExecutionEvent, PositionUpdateEvent, TradingSignal } from '@model-service/signals';

import type { MarketQuote } from '../market/market-state';
import { slippageOf } from './fill-model';
import type { Fill } from './fill-model';
import { LedgerPosition, unrealizedPnl, unrealizedPnlPct } from './ledger';

const iso = (ms: number): string => new Date(ms).toISOString();

export interface ExecutionInput {
  orderId: string;
  signal: Pick<TradingSignal, 'signal_id' | 'strategy_id' | 'asset' | 'signal_type' | 'timestamp' | 'trace_id' | 'market_data_snapshot'>;
  fill: Fill;
  quote: MarketQuote;
  realizedPnl: number | null;
  returnPercent: number | null;
}

/**
 * The OrderExecutionEvent of one fill. `executed_at` is SIMULATED time (the quote's); `signal_price`
 * and `signal_timestamp` are the signal's own (wall-clock stamped by the signal's producer).
 */
export function executionEvent(input: ExecutionInput): OrderExecutionEvent {
  const { signal, fill, quote } = input;
  const performance: OrderExecutionEvent['performance'] = { ...slippageOf(fill.price, signal.market_data_snapshot.price) };
  if (input.realizedPnl !== null) performance.realized_pnl = input.realizedPnl;
  if (input.returnPercent !== null) performance.return_percent = input.returnPercent;
  return {
    event_id: `exec-${input.orderId}`,
    order_id: input.orderId,
    signal_id: signal.signal_id,
    strategy_id: signal.strategy_id,
    asset: signal.asset,
    side: signal.signal_type,
    execution_price: fill.price,
    execution_quantity: fill.quantity,
    execution_fees: fill.fee,
    executed_at: iso(quote.time),
    signal_price: signal.market_data_snapshot.price,
    signal_timestamp: signal.timestamp,
    market_conditions: { spread: quote.spread, volume_24h: quote.volume24h, volatility: quote.volatility },
    performance,
    trace_id: signal.trace_id,
  };
}

/** Id of one position's life: the positions row and when it was (re)opened. */
export function positionIdOf(rowId: string, p: Pick<LedgerPosition, 'openedAt'>): string {
  return `${rowId}@${p.openedAt}`;
}

/** A PositionUpdateEvent at simulated time `at` (size 0 = closed). */
export function positionUpdate(rowId: string, p: LedgerPosition, at: number, traceId: string): PositionUpdateEvent {
  return {
    position_id: positionIdOf(rowId, p),
    asset: p.asset,
    strategy_id: p.strategyId,
    size: p.size,
    average_entry_price: p.averageEntryPrice,
    current_price: p.currentPrice,
    unrealized_pnl: unrealizedPnl(p),
    unrealized_pnl_pct: unrealizedPnlPct(p),
    realized_pnl: p.realizedPnl,
    opened_at: iso(p.openedAt),
    timestamp: iso(at),
    trace_id: traceId,
  };
}

/** The GET /api/v1/positions/{asset} view of a position: the event's fields plus position_size_norm = value / equity. */
export function positionView(rowId: string, p: LedgerPosition, at: number, equity: number): Record<string, unknown> {
  const { trace_id: _trace, ...fields } = positionUpdate(rowId, p, at, 'view');
  const value = p.size * p.currentPrice;
  return { ...fields, position_value: value, position_size_norm: equity > 0 ? value / equity : 0, closed_at: p.closedAt === null ? null : iso(p.closedAt) };
}
