import { Publisher } from '@model-service/messaging';
import type { Topology } from '@model-service/signals';
import { Logger, MetricsRegistry, sleep } from '@model-service/util';

import { candleSoFar, gatewayEvent, klineMessage, orderbookMessage, tickerMessage } from './bybit-messages';
import { CandleSource, candleTickPrices } from '@model-service/candles';
import type { Backlog } from './consumer-backlog';
import { MarketBook } from './market-book';
import { AssetMarketState, MarketQuote } from './market-state';
import { SimClock } from './sim-clock';

export interface MarketReplayOptions {
  queues: Pick<Topology, 'ticker' | 'orderbook' | 'kline'>;
  /** Candles per second; null = real time (one candle per candle interval). */
  candlesPerSecond: number | null;
  ticksPerCandle: number;
  spreadBps: number;
  orderbookLevels: number;
  /** Pause while a consumer of an output queue has more than this many messages waiting (0 = never). */
  maxConsumerBacklog: number;
}

/** Receives every price update after it was published (the order manager fills and marks here). */
export type QuoteListener = (quote: MarketQuote) => Promise<void>;

export type ReplayStatus = 'idle' | 'running' | 'paused' | 'ended' | 'stopped';

/**
 * Replays candles as Bybit v5 market data on the ws-gateway queues: each candle becomes
 * `ticksPerCandle` price updates (ticker + order book, and a kline with confirm=false), the last one
 * at the candle's close with the kline confirmed. Simulated time advances with each update; the wall
 * time between updates follows SIMULATOR_SPEED. While RabbitMQ is unreachable the market pauses (and
 * with it simulated time), so nothing is published into a gap.
 */
export class MarketReplay {
  private readonly states = new Map<string, AssetMarketState>();
  private readonly log = new Logger('MarketReplay');
  private status: ReplayStatus = 'idle';
  private loop?: Promise<void>;
  private stopping = false;
  private updateId = 1;
  private candles = 0;
  private publishFailures = 0;
  private waitingFor: Backlog | null = null;
  private readonly messages;
  private readonly simTime;

  constructor(
    private readonly opts: MarketReplayOptions,
    private readonly source: CandleSource,
    private readonly book: MarketBook,
    private readonly clock: SimClock,
    private readonly publisher: Publisher,
    private readonly isConnected: () => boolean,
    private readonly onQuote: QuoteListener,
    private readonly onEnded: () => Promise<void>,
    metrics: MetricsRegistry,
    private readonly backlog: () => Promise<Backlog | null> = async () => null,
  ) {
    for (const asset of source.assets) this.states.set(asset, new AssetMarketState(asset, source.intervalMs, opts.spreadBps));
    this.messages = metrics.counter('simulator_market_messages_total', 'Market-data messages published', ['channel']);
    this.simTime = metrics.gauge('simulator_simulated_time_seconds', 'Simulated time of the latest price update (epoch seconds)');
  }

  info(): Record<string, unknown> {
    return {
      status: this.status,
      source: this.source.kind,
      assets: this.source.assets,
      interval: this.source.interval,
      speed: this.opts.candlesPerSecond === null ? 'realtime' : `${this.opts.candlesPerSecond} candles/s`,
      candles_replayed: this.candles,
      candles_remaining: Number.isFinite(this.source.remaining()) ? this.source.remaining() : null,
      simulated_time: new Date(this.clock.now()).toISOString(),
      publish_failures: this.publishFailures,
      waiting_for: this.waitingFor,
      prices: Object.fromEntries(this.source.assets.map((a) => [a, this.book.quote(a)?.price ?? null])),
    };
  }

  start(): void {
    if (this.loop) return;
    this.status = 'running';
    this.loop = this.run().catch((err: unknown) => {
      this.status = 'stopped';
      this.log.error('market replay stopped by an error', { error: err instanceof Error ? err : new Error(String(err)) });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    if (this.status !== 'ended') this.status = 'stopped';
  }

  /** Wall milliseconds between two price updates. */
  private tickPeriodMs(): number {
    const perCandle = this.opts.candlesPerSecond === null ? this.source.intervalMs : 1000 / this.opts.candlesPerSecond;
    return perCandle / this.opts.ticksPerCandle;
  }

  private async run(): Promise<void> {
    const period = this.tickPeriodMs();
    const ticks = this.opts.ticksPerCandle;
    let due = Date.now();
    for (;;) {
      const step = this.source.next();
      if (!step) break;
      const paths = new Map([...step.candles].map(([asset, c]) => [asset, candleTickPrices(c, ticks)] as const));
      for (let k = 1; k <= ticks; k++) {
        if (!(await this.waitForBroker()) || !(await this.waitForConsumers())) return;
        const time = k === ticks ? step.start + this.source.intervalMs - 1 : step.start + Math.round((k * this.source.intervalMs) / ticks);
        this.clock.advance(time);
        const quotes: MarketQuote[] = [];
        const sends: Promise<void>[] = [];
        for (const [asset, candle] of step.candles) {
          const state = this.states.get(asset) as AssetMarketState;
          const prices = (paths.get(asset) as number[]).slice(0, k);
          const quote = state.quote(candle, prices[k - 1], time, k / ticks);
          const last = k === ticks;
          const partial = last ? candle : candleSoFar(candle, prices, ticks);
          sends.push(
            this.send(this.opts.queues.ticker, 'ticker', tickerMessage(quote)),
            this.send(this.opts.queues.orderbook, 'orderbook', orderbookMessage(quote, this.opts.orderbookLevels, this.updateId++)),
            this.send(this.opts.queues.kline, 'kline', klineMessage(asset, this.source.interval, this.source.intervalMs, partial, time, last)),
          );
          if (last) state.close(candle);
          this.book.update(quote);
          quotes.push(quote);
        }
        await Promise.all(sends);
        this.simTime.set(time / 1000);
        for (const quote of quotes) await this.onQuote(quote);
        due += period;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        else if (wait < -1000) due = Date.now(); // fell behind: do not burst to catch up
        if (this.stopping) return;
      }
      this.candles++;
    }
    this.status = 'ended';
    this.book.end();
    this.log.info('candle replay finished; orders now fill at the last prices', { candles: this.candles, simulated_time: new Date(this.clock.now()).toISOString() });
    await this.onEnded();
  }

  /** Waits while the broker is unreachable (the market pauses); false when stopping. */
  private async waitForBroker(): Promise<boolean> {
    if (this.isConnected()) return !this.stopping;
    this.status = 'paused';
    this.log.warn('RabbitMQ unreachable: market paused');
    while (!this.isConnected()) {
      if (this.stopping) return false;
      await sleep(250);
    }
    this.status = 'running';
    this.log.info('RabbitMQ reachable again: market resumed');
    return !this.stopping;
  }

  /**
   * Waits while a consumer is more than maxConsumerBacklog messages behind (it resumes below half of
   * that): on a busy machine simulated time stops instead of racing ahead of the apps. False when stopping.
   */
  private async waitForConsumers(): Promise<boolean> {
    const max = this.opts.maxConsumerBacklog;
    if (max <= 0) return !this.stopping;
    let behind = await this.backlog();
    if (!behind || behind.messages <= max) return !this.stopping;
    this.status = 'paused';
    this.log.info('market paused: a consumer is behind', { queue: behind.queue, messages: behind.messages, max });
    const started = Date.now();
    while (behind && behind.messages > max / 2) {
      this.waitingFor = behind;
      if (this.stopping) return false;
      await sleep(250);
      behind = await this.backlog();
    }
    this.waitingFor = null;
    this.status = 'running';
    this.log.info('market resumed', { paused_ms: Date.now() - started });
    return !this.stopping;
  }

  private async send(queue: string, channel: string, message: Parameters<typeof gatewayEvent>[0]): Promise<void> {
    try {
      await this.publisher.sendToQueue(queue, gatewayEvent(message));
      this.messages.inc({ channel });
    } catch (err) {
      if (this.publishFailures++ % 100 === 0) {
        this.log.warn('market data not published', { queue, failures: this.publishFailures, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
