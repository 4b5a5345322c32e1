import { Publisher, SignalRecordWriter, signalRouteOf } from '@model-service/messaging';
import { AccountBalanceRepository, TradingSignalRepository, WarmupClockRepository } from '@model-service/repositories';
import { Topology } from '@model-service/signals';
import { HealthRegistry, Logger, MetricsRegistry } from '@model-service/util';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';

import { AccountStateReader } from '../account/account-state.reader';
import { QUEUE_NAMES, REPLICA_ID, SERVICE_NAME, STRATEGIES } from '../app.tokens';
import { SignalGeneratorEnv } from '../config/signal-generator.env';
import { DecisionSource } from '../decision/decision-source';
import { WarmupDecisionSource } from '../decision/warmup-decision-source';
import { BalanceCheck } from '../checks/balance.check';
import { OpenOrderCheck } from '../checks/open-order.check';
import { PositionLimitCheck } from '../checks/position-limit.check';
import { RateLimitCheck } from '../checks/rate-limit.check';
import { SignalCheck } from '../checks/signal-check';
import { MarketDataCache } from '../market-data/market-data-cache';
import { MarketDataConsumer } from '../market-data/market-data.consumer';
import { WsGatewaySubscriber } from '../market-data/ws-gateway-subscriber';
import { StrategyOwnership } from '../ownership/strategy-ownership';
import { AssetSelection, AssetSelector } from '../selection/asset-selector';
import { AssetSelectionRefresher } from '../selection/asset-selection-refresher';
import { StrategyConfig } from '../strategies/strategy-config';
import { SignalMetrics } from './signal-metrics';
import { SignalPipeline } from './signal-pipeline';
import { SignalPorts } from './signal-ports';
import { StrategyRunner } from './strategy-runner';

/** The pipeline's guards in the order they run: open orders, balance, position limit, rate limit. */
function signalChecks(config: SignalGeneratorEnv): SignalCheck[] {
  return [
    new OpenOrderCheck({ enabled: config.SIGNAL_GENERATION_SKIP_IF_OPEN_ORDER, oppositeOnly: config.SIGNAL_GENERATION_CHECK_OPPOSITE_ORDERS_ONLY }),
    new BalanceCheck({ enabled: config.SIGNAL_GENERATION_BALANCE_CHECK_ENABLED }),
    new PositionLimitCheck(),
    new RateLimitCheck({ ratePerMinute: config.SIGNAL_GENERATION_RATE_LIMIT, burst: config.SIGNAL_GENERATION_BURST_ALLOWANCE }),
  ];
}

/**
 * Runs the strategies this replica owns: one StrategyRunner per strategy (mode + pluggable decision
 * source), the shared SignalPipeline, market data in, ownership by advisory locks. Data flows one way:
 * the market-data consumer hands each ticker to the runners, a runner hands a due decision to the
 * pipeline, the pipeline publishes through its ports (README: path of a ticker). The model manager
 * switches a strategy to a model with `setDecisionSource(id, source, reason)` and back with
 * `useWarmup(id, reason)`. With AUTO_SELECT_ASSETS, strategies without their own assets trade the
 * automatic selection, re-applied without a restart; a warm-up limit ends warm-up signals on time.
 */
@Injectable()
export class SignalGeneratorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners = new Map<string, StrategyRunner>();
  private readonly warmup = new Map<string, WarmupDecisionSource>();
  private readonly warmupTimers = new Map<string, NodeJS.Timeout>();
  private readonly ownership: StrategyOwnership;
  private readonly ports: SignalPorts;
  private readonly selection?: { selector: AssetSelector; refresher: AssetSelectionRefresher };
  private subscriber?: WsGatewaySubscriber;
  private readonly log = new Logger('SignalGenerator');

  constructor(
    private readonly config: SignalGeneratorEnv,
    @Inject(STRATEGIES) strategies: StrategyConfig[],
    @Inject(QUEUE_NAMES) private readonly names: Topology,
    @Inject(REPLICA_ID) private readonly replicaId: string,
    @Inject(SERVICE_NAME) private readonly serviceName: string,
    cache: MarketDataCache,
    private readonly marketData: MarketDataConsumer,
    accounts: AccountStateReader,
    publisher: Publisher,
    private readonly signals: TradingSignalRepository,
    private readonly metrics: SignalMetrics,
    registry: MetricsRegistry,
    health: HealthRegistry,
    balances: AccountBalanceRepository,
    private readonly warmupClocks: WarmupClockRepository,
  ) {
    const enabled = strategies.filter((s) => s.enabled);
    this.ownership = this.ownershipOf(enabled.map((s) => s.id));
    const route = signalRouteOf(names.tradingSignals);
    const records = new SignalRecordWriter({
      url: config.RABBITMQ_URL,
      name: `${serviceName}-records`,
      route,
      store: (signal, publishedAt) => signals.insert(signal, publishedAt),
      maxRetries: config.RABBITMQ_MAX_RETRIES,
      metrics: registry,
      health,
      stallAfterMs: config.RABBITMQ_CONSUMER_STALL_SECONDS * 1000,
    });
    this.ports = new SignalPorts(cache, accounts, this.ownership, publisher, route, records, metrics);
    const pipeline = new SignalPipeline(this.ports, signalChecks(config), replicaId);
    for (const strategy of enabled) this.runners.set(strategy.id, this.runnerOf(strategy, pipeline));
    marketData.sendTickersTo([...this.runners.values()]);
    if (config.AUTO_SELECT_ASSETS) this.selection = this.autoSelection(cache, balances, health);
    for (const s of strategies.filter((x) => !x.enabled)) this.log.info('strategy disabled in TRADING_STRATEGIES', { strategy_id: s.id });
    health.registerInfo('strategies', () => [...this.runners.values()].map((r) => ({ ...r.status(), owned: this.ownership.owns(r.strategy.id) })));
    health.registerInfo('ownership', () => this.ownership.status());
  }

  async onApplicationBootstrap(): Promise<void> {
    const strategies = [...this.runners.values()].map((r) => r.strategy);
    this.log.info('signal generator starting', {
      replica_id: this.replicaId,
      strategies: strategies.map((s) => ({ id: s.id, assets: s.assets, assets_pinned: s.assets_pinned, warmup_max_duration_seconds: s.warmup_max_duration_seconds, heuristic: s.heuristic, frequency_seconds: s.frequency_seconds, trigger: s.trigger })),
      warmup_enabled: this.config.WARMUP_MODE_ENABLED,
      auto_select_assets: this.config.AUTO_SELECT_ASSETS,
      signals_queue: this.names.tradingSignals,
    });
    // Before the first signal: the exchange and both queues bound, or a publish would reach nobody.
    this.ports.open();
    // Nobody reads the republished ticks while this replica is alone.
    this.marketData.republishWhen = () => this.ownership.replicaCount() > 1;
    await this.marketData.start();
    if (this.config.WS_GATEWAY_URL) {
      this.subscriber = new WsGatewaySubscriber({
        url: this.config.WS_GATEWAY_URL,
        apiKey: this.config.WS_GATEWAY_API_KEY,
        service: this.serviceName,
        assets: [...new Set(strategies.filter((s) => s.assets_pinned || !this.selection).flatMap((s) => s.assets))],
        klineIntervals: [...new Set(strategies.map((s) => s.kline_interval))],
      });
      void this.subscriber.run();
    }
    // The first selection is in place before any strategy starts.
    await this.selection?.refresher.start();
    this.ownership.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.selection?.refresher.stop();
    for (const t of this.warmupTimers.values()) clearTimeout(t);
    this.subscriber?.stop();
    await this.ownership.stop();
    await this.marketData.stop();
    await this.ports.close();
  }

  /** The runner of a strategy (mode, decision source, status). */
  runner(id: string): StrategyRunner | undefined {
    return this.runners.get(id);
  }

  allRunners(): StrategyRunner[] {
    return [...this.runners.values()];
  }

  /** Switches a strategy's decision source (e.g. to a model) without a restart. */
  setDecisionSource(id: string, source: DecisionSource, reason: string): void {
    this.mustGet(id).switchTo(source, reason);
  }

  /** Back to the warm-up heuristic (or idle when warm-up is disabled), keeping its side balance. */
  useWarmup(id: string, reason: string): void {
    const runner = this.mustGet(id);
    if (this.config.WARMUP_MODE_ENABLED && runner.warmupExpired()) {
      runner.switchTo(null, `${reason}; warm-up max duration already passed, so no warm-up signals`);
      return;
    }
    runner.switchTo(this.config.WARMUP_MODE_ENABLED ? (this.warmup.get(id) ?? null) : null, reason);
  }

  /** The automatic selection's current result (null when AUTO_SELECT_ASSETS is off or none yet). */
  assetSelection(): AssetSelection | null {
    return this.selection?.selector.last() ?? null;
  }

  ownedStrategies(): string[] {
    return this.ownership.ownedIds();
  }

  /** Advisory locks per strategy: a strategy runs (from its last stored signal) only while this replica holds its lock. */
  private ownershipOf(strategyIds: string[]): StrategyOwnership {
    const config = this.config;
    return new StrategyOwnership({
      url: config.DATABASE_URL,
      namespace: `${config.DATABASE_SCHEMA ?? 'public'}|${config.QUEUE_PREFIX ?? ''}`,
      strategyIds,
      retryMs: config.SIGNAL_GENERATION_OWNERSHIP_RETRY_SECONDS * 1000,
      replicaId: this.replicaId,
      onAcquired: (id) => void this.startOwned(id),
      onReleased: (id, reason) => this.stopOwned(id, reason),
    });
  }

  /** A strategy's runner, deciding through the pipeline: warm-up at first (or idle when warm-up is disabled). */
  private runnerOf(strategy: StrategyConfig, pipeline: SignalPipeline): StrategyRunner {
    const source = new WarmupDecisionSource(strategy);
    this.warmup.set(strategy.id, source);
    const on = this.config.WARMUP_MODE_ENABLED;
    const reason = on ? 'start-up: no active model, warm-up heuristic' : 'start-up: no active model and WARMUP_MODE_ENABLED=false';
    return new StrategyRunner(strategy, on ? source : null, pipeline, reason);
  }

  /** AUTO_SELECT_ASSETS: strategies without their own assets wait for the first selection, then trade it. */
  private autoSelection(cache: MarketDataCache, balances: AccountBalanceRepository, health: HealthRegistry): { selector: AssetSelector; refresher: AssetSelectionRefresher } {
    const config = this.config;
    const quotes = config.AUTO_SELECT_QUOTE_CURRENCIES.split(',');
    const priceQuote = quotes[0] ?? 'USDT';
    const selector = new AssetSelector(
      {
        minBalanceUsdt: config.AUTO_SELECT_MIN_BALANCE_USDT,
        quoteCurrencies: quotes,
        ttlMs: config.AUTO_SELECT_CACHE_TTL_SECONDS * 1000,
        fallback: config.AUTO_SELECT_FALLBACK_ASSETS.split(','),
        priceWaitMs: config.AUTO_SELECT_PRICE_WAIT_SECONDS * 1000,
      },
      {
        loadBalances: async () => (await balances.latestAll()).map((b) => ({ coin: b.coin, available: b.availableBalance })),
        price: (pair) => cache.price(pair),
      },
    );
    const refresher = new AssetSelectionRefresher(selector, config.AUTO_SELECT_CACHE_TTL_SECONDS * 1000, (s) => this.applySelection(s, priceQuote));
    for (const runner of this.runners.values()) {
      if (!runner.strategy.assets_pinned) runner.setAssets([], 'waiting for the first automatic asset selection');
    }
    health.registerInfo('asset_selection', () => {
      const last = selector.last();
      return last ? { assets: last.assets, source: last.source, reason: last.reason, awaiting_price: last.awaitingPrice, at: new Date(last.at).toISOString(), trace_id: last.traceId } : null;
    });
    return { selector, refresher };
  }

  private mustGet(id: string): StrategyRunner {
    const runner = this.runners.get(id);
    if (!runner) throw new Error(`unknown strategy ${id}`);
    return runner;
  }

  private async stopOwned(id: string, reason: string): Promise<void> {
    clearTimeout(this.warmupTimers.get(id));
    this.warmupTimers.delete(id);
    await this.runners.get(id)?.stop(reason);
    this.metrics.setOwned(this.ownership.ownedIds().length);
  }

  /** Starts a strategy this replica just took over, continuing from its last stored signal per asset. */
  private async startOwned(id: string): Promise<void> {
    const runner = this.runners.get(id);
    if (!runner) return;
    const last = new Map<string, number>();
    try {
      for (const asset of runner.assets) {
        const page = await this.signals.list({ strategyId: id, asset }, 1);
        const newest = page.items[0];
        if (newest) last.set(asset, newest.timestamp.getTime());
      }
    } catch (err) {
      this.log.warn('cannot read the last signals of a strategy; starting without them', { strategy_id: id, error: err instanceof Error ? err.message : String(err) });
    }
    await this.startWarmupClock(runner);
    // Ownership may have moved on while reading.
    if (!this.ownership.owns(id)) return;
    runner.start(last);
    this.metrics.setOwned(this.ownership.ownedIds().length);
  }

  /**
   * Reads (or starts) the strategy's warm-up clock; with a warm-up limit, ends warm-up signals when it
   * passes. The clock lives in the database, so a restart or another replica continues the same count.
   */
  private async startWarmupClock(runner: StrategyRunner): Promise<void> {
    const id = runner.strategy.id;
    const max = runner.strategy.warmup_max_duration_seconds;
    let startedAt = Date.now();
    try {
      startedAt = (await this.warmupClocks.start(id, new Date(startedAt), max)).startedAt.getTime();
    } catch (err) {
      this.log.warn('cannot read the warm-up clock; counting from now', { strategy_id: id, error: err instanceof Error ? err.message : String(err) });
    }
    if (max === null) return;
    runner.limitWarmup(startedAt, max * 1000);
    clearTimeout(this.warmupTimers.get(id));
    // setTimeout holds at most ~24.8 days; a longer limit is re-armed on the next start, and checked per decision anyway.
    const delay = Math.min(Math.max(0, startedAt + max * 1000 - Date.now()), 2 ** 31 - 1);
    this.warmupTimers.set(id, setTimeout(() => void this.endWarmup(runner), delay));
  }

  private async endWarmup(runner: StrategyRunner): Promise<void> {
    const id = runner.strategy.id;
    this.warmupTimers.delete(id);
    // A strategy already in model mode keeps it; the limit still applies if it falls back (useWarmup).
    if (!runner.warmupExpired() || runner.mode === 'model') return;
    const max = runner.strategy.warmup_max_duration_seconds;
    runner.switchTo(null, `warm-up max duration (${max} s) passed with no promoted model: no more warm-up signals until a model is promoted`);
    this.log.warn('warm-up max duration passed with no promoted model; warm-up signals stopped', {
      strategy_id: id,
      max_duration_seconds: max,
      deadline: new Date(runner.warmupDeadline ?? 0).toISOString(),
    });
    try {
      await this.warmupClocks.markExpired(id, new Date());
    } catch (err) {
      this.log.warn('cannot record the end of warm-up', { strategy_id: id, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Puts a new selection into every strategy that does not pin its assets, and subscribes what it needs. */
  private applySelection(selection: AssetSelection, priceQuote: string): void {
    const reason = `automatic asset selection (${selection.source}: ${selection.reason})`;
    for (const runner of this.runners.values()) {
      if (!runner.strategy.assets_pinned) runner.setAssets(selection.assets, reason, selection.traceId);
    }
    // Coins still waiting for a price get their main pair subscribed, so a ticker (the price) arrives.
    void this.subscriber?.add([...selection.assets, ...selection.awaitingPrice.map((coin) => `${coin}${priceQuote}`)]);
  }
}
