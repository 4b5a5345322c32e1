import { openSignalRoute, publishSignal, Publisher, SignalRecordWriter, SignalRoute } from '@model-service/messaging';
import { TradingSignal } from '@model-service/signals';
import { Logger } from '@model-service/util';

import { AccountState } from '../account/account-state';
import { AccountStateReader } from '../account/account-state.reader';
import { StrategyMode } from '../decision/decision-source';
import { MarketDataCache } from '../market-data/market-data-cache';
import { StrategyOwnership } from '../ownership/strategy-ownership';
import { SignalMetrics } from './signal-metrics';
import { PipelinePorts } from './signal-pipeline';

/**
 * The running app's side of the signal pipeline: market data from the cache, account state, the strategy
 * lock, the signal route (each signal published once with confirm to the fanout exchange, whose records
 * queue the record writer stores in trading_signals) and the metrics. Built from finished collaborators:
 * each port is one call to one of them.
 */
export class SignalPorts implements PipelinePorts {
  /** Settles once the route is declared and the record writer consumes; publishing waits for it (see open). */
  private routeOpen: Promise<void> = new Promise<void>(() => undefined);
  private readonly log = new Logger('SignalGenerator');

  constructor(
    private readonly cache: MarketDataCache,
    private readonly accounts: AccountStateReader,
    private readonly ownership: StrategyOwnership,
    private readonly publisher: Publisher,
    private readonly route: SignalRoute,
    private readonly records: SignalRecordWriter,
    private readonly metrics: SignalMetrics,
  ) {}

  /**
   * Declares the route and starts the record writer, in the background so /health answers while the broker
   * is unreachable; no signal goes out before the exchange and both queues are bound.
   */
  open(): void {
    this.routeOpen = openSignalRoute(this.publisher, this.route, this.records, this.log);
  }

  /** Records not stored yet stay in the records queue (unacked ones are redelivered): nothing to drain. */
  close(): Promise<void> {
    return this.records.stop();
  }

  lookupMarket(asset: string, interval: string): ReturnType<MarketDataCache['lookup']> {
    return this.cache.lookup(asset, interval);
  }

  readAccount(strategyId: string, asset: string, price: number): Promise<AccountState> {
    return this.accounts.read(strategyId, asset, price);
  }

  confirmOwnership(strategyId: string): Promise<boolean> {
    return this.ownership.confirm(strategyId);
  }

  async publish(signal: TradingSignal): Promise<void> {
    await this.routeOpen;
    await publishSignal(this.publisher, this.route, signal);
  }

  skipped(reason: string, strategyId: string): void {
    this.metrics.signalSkipped(reason, strategyId);
  }

  published(signal: TradingSignal, mode: string, seconds: number): void {
    this.metrics.signalPublished(signal.strategy_id, signal.asset, signal.signal_type, mode, seconds);
  }

  publishFailed(strategyId: string): void {
    this.metrics.publishFailed(strategyId);
  }

  modeChanged(strategyId: string, from: StrategyMode, to: StrategyMode): void {
    this.metrics.modeChanged(strategyId, from, to);
  }
}
