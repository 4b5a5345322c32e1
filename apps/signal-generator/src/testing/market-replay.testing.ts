import { randomUUID } from 'node:crypto';

import { Topology } from '@model-service/signals';
import { seededRandom } from '@model-service/util';
import { exampleBybitKline, exampleBybitOrderbook, exampleBybitTicker, gatewayEnvelope } from '@model-service/signals/testing';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';


/**
 * Plays ws-gateway for tests and benchmarks: Bybit v5 ticker / order book / kline messages, bare or in
 * the gateway envelope, published with confirms onto the (prefixed) ws-gateway queues.
 */
export class MarketReplay {
  private conn?: ChannelModel;
  private ch?: ConfirmChannel;
  private readonly prices = new Map<string, number>();
  private readonly rng: () => number;
  private n = 0;

  constructor(
    private readonly url: string,
    private readonly names: Pick<Topology, 'ticker' | 'orderbook' | 'kline'>,
    seed = 42,
  ) {
    this.rng = seededRandom(seed);
  }

  async open(): Promise<void> {
    this.conn = await connect(this.url, { noDelay: true });
    this.conn.on('error', () => undefined);
    this.ch = await this.conn.createConfirmChannel();
    this.ch.on('error', () => undefined);
    // Declared as ws-gateway declares them (plain durable); the app uses what exists (docs/queues.md).
    for (const q of [this.names.ticker, this.names.orderbook, this.names.kline]) {
      await this.ch.assertQueue(q, { durable: true });
    }
  }

  async close(): Promise<void> {
    await this.ch?.close().catch(() => undefined);
    await this.conn?.close().catch(() => undefined);
  }

  /** Current simulated price of an asset (random walk, ±0.1 % per step). */
  price(asset: string): number {
    return this.prices.get(asset) ?? this.setPrice(asset, asset.startsWith('BTC') ? 50_000 : asset.startsWith('ETH') ? 3_000 : 150);
  }

  setPrice(asset: string, price: number): number {
    this.prices.set(asset, price);
    return price;
  }

  step(asset: string): number {
    return this.setPrice(asset, this.price(asset) * (1 + (this.rng() - 0.5) * 0.002));
  }

  /** A ticker at the asset's next price, stamped now; every other one in the gateway envelope. */
  async ticker(asset: string, opts: { ts?: number; traceId?: string; envelope?: boolean } = {}): Promise<void> {
    const msg = exampleBybitTicker(asset, this.step(asset), { ts: opts.ts ?? Date.now() });
    const envelope = opts.envelope ?? this.n++ % 2 === 1;
    const body = envelope ? { ...gatewayEnvelope(msg), trace_id: opts.traceId ?? randomUUID() } : { ...msg, trace_id: opts.traceId ?? randomUUID() };
    await this.send(this.names.ticker, body);
  }

  async orderbook(asset: string, opts: { ts?: number; type?: 'snapshot' | 'delta' } = {}): Promise<void> {
    const msg = exampleBybitOrderbook(asset, this.price(asset), { ts: opts.ts ?? Date.now(), type: opts.type ?? 'snapshot', step: this.price(asset) * 0.0001 });
    await this.send(this.names.orderbook, msg);
  }

  /** `count` closed candles of `interval`, the last one closing just before now, in one message. */
  async klineHistory(asset: string, count: number, interval = '1', envelope = false): Promise<void> {
    const span = Number(interval) * 60_000;
    const closes = Array.from({ length: count }, () => this.step(asset));
    const start = Math.floor(Date.now() / span) * span - count * span;
    const msg = exampleBybitKline(asset, 0, { closes, start, interval: interval as never, ts: Date.now() });
    await this.send(this.names.kline, envelope ? gatewayEnvelope(msg, { whole: true }) : msg);
  }

  /** One confirmed candle starting at `start` (epoch ms). */
  async kline(asset: string, start: number, interval = '1'): Promise<void> {
    const msg = exampleBybitKline(asset, this.step(asset), { start, interval: interval as never, ts: Date.now() });
    await this.send(this.names.kline, gatewayEnvelope(msg));
  }

  async send(queue: string, body: object): Promise<void> {
    const ch = this.ch;
    if (!ch) throw new Error('MarketReplay is not open');
    await new Promise<void>((resolve, reject) =>
      ch.sendToQueue(queue, Buffer.from(JSON.stringify(body)), { persistent: true, contentType: 'application/json' }, (err) => (err ? reject(err) : resolve())),
    );
  }
}
