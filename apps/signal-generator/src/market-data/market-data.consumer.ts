import { ConsumerHost, MessageContext, Publisher } from '@model-service/messaging';
import { NormalizedKline, NormalizedOrderbook, NormalizedTicker, parseKline, parseOrderbook, parseTicker, Topology } from '@model-service/signals';
import { Logger } from '@model-service/util';

import { SignalMetrics } from '../runner/signal-metrics';
import { MarketDataCache } from './market-data-cache';

export type MarketDataKind = 'ticker' | 'orderbook' | 'kline';

export const KIND_HEADER = 'x-market-data-kind';
export const ORIGIN_HEADER = 'x-origin-replica';

/** Takes each applied ticker's asset and trace id (a market-data triggered strategy decides on it). */
export interface TickerSink {
  onMarketData(asset: string, traceId?: string): void;
}

export interface MarketDataConsumerOptions {
  replicaId: string;
  republish: boolean;
  /** Book levels per side in a republished order book snapshot. */
  republishLevels: number;
}

/**
 * Feeds the market-data cache from `ws-gateway.ticker/.orderbook/.kline` (Bybit v5, bare or
 * enveloped; single active consumer across replicas — an exclusive consume, as the queues are the
 * gateway's —, one message at a time per queue). The active
 * consumer republishes what it applied, normalized, on the `model-service.market_data` fanout
 * exchange; every replica binds a private queue there and applies what other replicas sent, so a
 * replica that is not the active consumer still has current data for the strategies it owns.
 * Its handlers are consumed by the app's ConsumerHost (connection, prefetch, retries, dead-letter queues, health).
 */
export class MarketDataConsumer {
  private readonly log = new Logger('MarketDataConsumer');
  private tickerSinks: readonly TickerSink[] = [];
  private fanoutReady?: Promise<void>;

  constructor(
    private readonly opts: MarketDataConsumerOptions,
    private readonly names: Topology,
    private readonly cache: MarketDataCache,
    private readonly publisher: Publisher,
    private readonly metrics: SignalMetrics,
    private readonly consumers: ConsumerHost,
  ) {}

  /** Republish only while this returns true (e.g. only when other replicas are alive to read it). */
  republishWhen: () => boolean = () => true;

  /** Where every applied ticker goes (the strategy runners), straight from the cache update. */
  sendTickersTo(sinks: readonly TickerSink[]): void {
    this.tickerSinks = sinks;
  }

  /** Subscribes; returns at once while the broker is unreachable (subscriptions follow when it is up). */
  async start(): Promise<void> {
    const common = { singleActiveConsumer: true, ordered: true };
    await this.consumers.consume<NormalizedTicker>({ ...common, queue: this.names.ticker, parse: parseTicker, handler: (t, ctx) => this.ticker(t, ctx, 'queue') });
    await this.consumers.consume<NormalizedOrderbook>({ ...common, queue: this.names.orderbook, parse: parseOrderbook, handler: (o) => this.orderbook(o, 'queue') });
    await this.consumers.consume<NormalizedKline>({ ...common, queue: this.names.kline, parse: parseKline, handler: (k) => this.kline(k, 'queue') });
    if (this.opts.republish) {
      await this.consumers.consume<unknown>({
        queue: this.names.marketDataReplicaQueue,
        fanoutExchange: this.names.marketDataExchange,
        ordered: true,
        maxRetries: 0,
        handler: (body, ctx) => this.fromReplica(body, ctx),
      });
    }
  }

  /** Stops consuming (the host's one stop: handlers in flight finish). */
  async stop(): Promise<void> {
    await this.consumers.stop();
  }

  private ticker(t: NormalizedTicker, ctx: MessageContext, source: 'queue' | 'replica'): void {
    if (!this.cache.applyTicker(t)) return;
    this.metrics.marketDataApplied('ticker', source);
    if (source === 'queue') this.republish('ticker', t, ctx.traceId);
    for (const sink of this.tickerSinks) sink.onMarketData(t.asset, ctx.traceId);
  }

  private orderbook(o: NormalizedOrderbook, source: 'queue' | 'replica'): void {
    if (!this.cache.applyOrderbook(o)) return;
    this.metrics.marketDataApplied('orderbook', source);
    if (source !== 'queue') return;
    // A self-contained snapshot of the top of the book, so a replica that missed the first snapshot is right at once.
    const top = this.cache.bookTop(o.asset, this.opts.republishLevels);
    if (top) this.republish('orderbook', { asset: o.asset, type: 'snapshot', depth: o.depth, bids: top.bids, asks: top.asks, ts: top.ts });
  }

  private kline(k: NormalizedKline, source: 'queue' | 'replica'): void {
    this.cache.applyKline(k);
    this.metrics.marketDataApplied('kline', source);
    if (source === 'queue') this.republish('kline', k);
  }

  private fromReplica(body: unknown, ctx: MessageContext): void {
    const origin = headerText(ctx.headers[ORIGIN_HEADER]);
    if (origin === this.opts.replicaId) return;
    const kind = headerText(ctx.headers[KIND_HEADER]);
    if (kind === 'ticker') this.ticker(parseTicker(body), ctx, 'replica');
    else if (kind === 'orderbook') this.orderbook(parseOrderbook(body), 'replica');
    else if (kind === 'kline') this.kline(parseKline(body), 'replica');
    else throw new Error(`unknown ${KIND_HEADER} header ${JSON.stringify(kind)}`);
  }

  private republish(kind: MarketDataKind, payload: object, traceId?: string): void {
    if (!this.opts.republish || !this.republishWhen()) return;
    const exchange = this.names.marketDataExchange;
    this.fanoutReady ??= this.publisher.assertFanout(exchange).catch((err: unknown) => {
      this.fanoutReady = undefined;
      throw err;
    });
    this.fanoutReady
      .then(() =>
        this.publisher.publishToExchange(exchange, payload, {
          traceId,
          headers: { [KIND_HEADER]: kind, [ORIGIN_HEADER]: this.opts.replicaId },
        }),
      )
      .catch((err: unknown) =>
        this.log.warn('republishing market data failed', { kind, exchange, error: err instanceof Error ? err.message : String(err) }),
      );
  }
}

function headerText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}
