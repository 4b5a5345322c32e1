import { splitPair } from '@model-service/neighbours';
import type { TradingSignal } from '@model-service/signals';
import { Logger, MetricsRegistry, runWithTrace } from '@model-service/util';
import { randomUUID } from 'node:crypto';

import { MarketBook } from '../market/market-book';
import type { MarketQuote } from '../market/market-state';
import { SimClock } from '../market/sim-clock';
import { ReliablePublisher } from '../messaging/reliable-publisher';
import { AccountStore, PendingOrderRow } from './account-store';
import { executionEvent } from './event-builders';
import { Fill, marketFill } from './fill-model';
import { Ledger } from './ledger';
import { PositionFeed } from './position-feed';

export interface OrderEngineOptions {
  feeRate: number;
  slippageBps: number;
  orderEventsQueue: string;
}

interface PendingOrder {
  row: PendingOrderRow;
  signal: TradingSignal;
}

export interface OrderStats {
  received: number;
  duplicates: number;
  pending: number;
  filled: number;
  rejected: number;
}

/**
 * The order manager's part of the simulator. A signal becomes a market order, `pending` in `orders`,
 * sized from its quote `amount` at the price when it arrives; it fills at the NEXT price update of its
 * asset (or at once when a replay has ended), whatever the signal's own timestamp says — signals carry
 * wall-clock time while the market runs on simulated time. A fill books the ledger, stores order,
 * position and balances in one transaction, then publishes one OrderExecutionEvent and the position
 * update. A fill the account cannot pay for is `rejected` with the reason.
 */
export class OrderEngine {
  private readonly pending = new Map<string, PendingOrder[]>();
  private readonly log = new Logger('OrderEngine');
  private readonly stats: OrderStats = { received: 0, duplicates: 0, pending: 0, filled: 0, rejected: 0 };
  private readonly ordersTotal;
  private readonly volumeTotal;

  constructor(
    private readonly opts: OrderEngineOptions,
    private readonly ledger: Ledger,
    private readonly market: MarketBook,
    private readonly clock: SimClock,
    private readonly store: AccountStore,
    private readonly publisher: ReliablePublisher,
    private readonly feed: PositionFeed,
    metrics: MetricsRegistry,
  ) {
    this.ordersTotal = metrics.counter('simulator_orders_total', 'Orders by final status', ['status', 'side']);
    this.volumeTotal = metrics.counter('simulator_fill_notional_total', 'Quote notional filled', ['asset', 'side']);
  }

  orderStats(): OrderStats {
    return { ...this.stats, pending: [...this.pending.values()].reduce((n, list) => n + list.length, 0) };
  }

  /** Takes one (already validated) signal; resolves once its order is stored (the message may then be acked). */
  async intake(signal: TradingSignal): Promise<void> {
    await runWithTrace(signal.trace_id, async () => {
      this.stats.received++;
      const existing = await this.store.findBySignal(signal.signal_id);
      if (existing) {
        this.stats.duplicates++;
        this.log.info('signal already has an order; redelivery ignored', { signal_id: signal.signal_id, order_id: existing.orderId });
        return;
      }
      const quote = this.market.quote(signal.asset);
      const refPrice = quote?.price ?? signal.market_data_snapshot.price;
      const row: PendingOrderRow = {
        orderId: `sim-${randomUUID()}`,
        signalId: signal.signal_id,
        strategyId: signal.strategy_id,
        asset: signal.asset,
        side: signal.signal_type,
        quantity: signal.amount / refPrice,
        price: refPrice,
        at: this.clock.now(),
      };
      const unknown = !this.market.trades(signal.asset) || !splitPair(signal.asset);
      if (unknown) {
        const reason = `unknown_asset: ${signal.asset} is not traded by the simulator (it trades ${this.market.assets.join(', ')})`;
        await this.store.insertRejected(row, reason);
        this.rejected(row, reason);
        return;
      }
      await this.store.insertPending(row);
      this.log.info('order pending', { order_id: row.orderId, signal_id: row.signalId, strategy_id: row.strategyId, asset: row.asset, side: row.side, quantity: row.quantity, amount: signal.amount });
      const order = { row, signal };
      if (this.market.ended && quote) {
        await this.fill(order, quote);
        return;
      }
      const list = this.pending.get(signal.asset) ?? [];
      list.push(order);
      this.pending.set(signal.asset, list);
    });
  }

  /** A new price of `quote.asset`: fills the orders waiting for it, then marks the open positions. */
  async onQuote(quote: MarketQuote): Promise<void> {
    const waiting = this.pending.get(quote.asset);
    if (waiting && waiting.length > 0) {
      this.pending.set(quote.asset, []);
      const kept: PendingOrder[] = [];
      for (const order of waiting) {
        if (!(await this.fill(order, quote))) kept.push(order);
      }
      if (kept.length > 0) this.pending.set(quote.asset, [...kept, ...(this.pending.get(quote.asset) ?? [])]);
    }
    await this.feed.onMarks(this.ledger.mark(quote.asset, quote.price), quote.time);
  }

  /** A replay ran out: every waiting order fills at its asset's last price now. */
  async onMarketEnded(): Promise<void> {
    for (const asset of [...this.pending.keys()]) {
      const quote = this.market.quote(asset);
      if (quote) await this.onQuote(quote);
    }
  }

  /** Fills (or rejects) one order at `quote`; false when it could not be stored and must wait for the next price. */
  private async fill(order: PendingOrder, quote: MarketQuote): Promise<boolean> {
    const { row, signal } = order;
    return runWithTrace(signal.trace_id, async () => {
      const at = this.clock.now();
      let quantity = row.quantity;
      let capped = false;
      if (row.side === 'sell') {
        const check = this.ledger.checkSell(row.asset, row.strategyId, quantity);
        if (!check.ok) return this.reject(row, check.reason, at);
        ({ quantity, capped } = check);
      }
      const fill = marketFill({
        side: row.side,
        quantity,
        bid: quote.bid,
        ask: quote.ask,
        topDepth: quote.topDepth,
        slippageBps: this.opts.slippageBps,
        feeRate: this.opts.feeRate,
      });
      if (row.side === 'buy') {
        const check = this.ledger.checkBuy(row.asset, fill);
        if (!check.ok) return this.reject(row, check.reason, at);
      }
      return this.book(order, fill, quote, at, capped);
    });
  }

  private async book(order: PendingOrder, fill: Fill, quote: MarketQuote, at: number, capped: boolean): Promise<boolean> {
    const { row, signal } = order;
    const before = this.ledger.checkpoint();
    const applied = this.ledger.apply(row.asset, row.strategyId, row.side, fill, at);
    let rowId: string;
    try {
      rowId = await this.store.recordFill({ orderId: row.orderId, fill, position: applied.position, balances: applied.balances, at });
    } catch (err) {
      this.ledger.rollback(before);
      this.log.error('fill not stored; the order waits for the next price', { order_id: row.orderId, error: err instanceof Error ? err.message : String(err) });
      return false;
    }
    this.stats.filled++;
    this.ordersTotal.inc({ status: 'filled', side: row.side });
    this.volumeTotal.inc({ asset: row.asset, side: row.side }, fill.notional);
    this.log.info('order filled', {
      order_id: row.orderId,
      signal_id: row.signalId,
      strategy_id: row.strategyId,
      asset: row.asset,
      side: row.side,
      price: fill.price,
      quantity: fill.quantity,
      fee: fill.fee,
      realized_pnl: applied.realizedPnl,
      capped_to_position: capped || undefined,
      simulated_time: new Date(at).toISOString(),
    });
    const event = executionEvent({ orderId: row.orderId, signal, fill, quote, realizedPnl: applied.realizedPnl, returnPercent: applied.returnPercent });
    await this.publisher.publish(this.opts.orderEventsQueue, event, signal.trace_id);
    await this.feed.onFill(applied.position, rowId, at, signal.trace_id);
    return true;
  }

  private async reject(row: PendingOrderRow, reason: string, at: number): Promise<boolean> {
    try {
      await this.store.reject(row.orderId, reason, at);
    } catch (err) {
      this.log.error('rejection not stored; the order waits for the next price', { order_id: row.orderId, error: err instanceof Error ? err.message : String(err) });
      return false;
    }
    this.rejected(row, reason);
    return true;
  }

  private rejected(row: PendingOrderRow, reason: string): void {
    this.stats.rejected++;
    this.ordersTotal.inc({ status: 'rejected', side: row.side });
    this.log.warn('order rejected', { order_id: row.orderId, signal_id: row.signalId, strategy_id: row.strategyId, asset: row.asset, side: row.side, reason });
  }
}
