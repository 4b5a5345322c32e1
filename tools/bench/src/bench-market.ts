/** The market both signal benches replay: ten assets at realistic start prices, on the broker under test. */
import { AccountBalanceRepository } from '@model-service/repositories';
import { QUEUES } from '@model-service/signals';
import { exampleBybitKline, exampleBybitTicker, gatewayEnvelope } from '@model-service/signals/testing';
import { sleep } from '@model-service/util';
import type { Channel, ConfirmChannel } from 'amqplib';
import type { DataSource } from 'typeorm';

export const START_PRICE: Record<string, number> = {
  BTCUSDT: 50_000,
  ETHUSDT: 3_000,
  SOLUSDT: 150,
  XRPUSDT: 0.6,
  ADAUSDT: 0.45,
  DOGEUSDT: 0.12,
  BNBUSDT: 580,
  LTCUSDT: 80,
  DOTUSDT: 6.5,
  AVAXUSDT: 30,
};

/** One strategy per asset; tickers rotate over them, so one asset's decisions rarely overlap. */
export const ASSETS = Object.keys(START_PRICE);

/**
 * Open-loop ticker path: `total` ticks at `ratePerSecond` (0 = as fast as possible), round-robin over ASSETS, each
 * price a small random step from the asset's last; `each` sends what the bench needs for tick n. Returns the
 * seconds the sending took.
 */
export async function sendPricePath(total: number, ratePerSecond: number, each: (n: number, asset: string, price: number) => void): Promise<number> {
  const interval = ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
  const prices = new Map(ASSETS.map((a) => [a, START_PRICE[a]]));
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const wait = started + n * interval - performance.now();
    if (wait >= 1) await sleep(Math.floor(wait));
    const asset = ASSETS[n % ASSETS.length];
    const price = prices.get(asset)! * (1 + (Math.random() - 0.5) * 0.001);
    prices.set(asset, price);
    each(n, asset, price);
  }
  return (performance.now() - started) / 1000;
}

/**
 * Tick n's ticker message, stamped now and carrying `traceId`: Bybit's own payload on even n, wrapped in
 * ws-gateway's envelope on odd n, so a bench drives both shapes the app accepts.
 */
export function tickerMessage(n: number, asset: string, price: number, traceId: string): Record<string, unknown> {
  const ticker = exampleBybitTicker(asset, price, { ts: Date.now() });
  return n % 2 ? { ...gatewayEnvelope(ticker), trace_id: traceId } : { ...ticker, trace_id: traceId };
}

/** A balance so large in USDT and every asset that no balance check ever skips a bench signal. */
export async function fundEveryAsset(dataSource: DataSource): Promise<void> {
  const balances = new AccountBalanceRepository(dataSource);
  for (const coin of ['USDT', ...ASSETS.map((a) => a.replace(/USDT$/, ''))]) await balances.insert({ coin, walletBalance: 1e12, availableBalance: 1e12 });
}

/** One market-data-triggered strategy per asset with the given warm-up heuristic, every limit lifted. */
export function strategyPerAsset(heuristic: string): Array<{ id: string } & Record<string, unknown>> {
  return ASSETS.map((asset) => ({
    id: `bench_${asset.toLowerCase()}`,
    heuristic,
    assets: [asset],
    trigger: 'market_data',
    frequency_seconds: 0.001,
    min_amount: 10,
    max_amount: 100,
    risk: { rate_limit_per_minute: 10_000_000, burst_allowance: 10_000_000, max_position_size_ratio: 1 },
  }));
}

/**
 * Declares the market-data queues and the signal queue under the bench's prefix (`q`) and queues 40 one-minute
 * candles per asset, so every snapshot carries real indicators as in production.
 */
export async function prepareMarketQueues(pub: ConfirmChannel, sub: Channel, q: (name: string) => string): Promise<void> {
  for (const name of [QUEUES.WS_TICKER, QUEUES.WS_ORDERBOOK, QUEUES.WS_KLINE]) await pub.assertQueue(q(name), { durable: true });
  await sub.assertQueue(q(QUEUES.TRADING_SIGNALS), { durable: true });
  for (const asset of ASSETS) {
    const closes = Array.from({ length: 40 }, (_, i) => START_PRICE[asset] * (1 + 0.001 * Math.sin(i)));
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 40 * 60_000;
    const kline = exampleBybitKline(asset, 0, { closes, start, ts: Date.now() });
    pub.sendToQueue(q(QUEUES.WS_KLINE), Buffer.from(JSON.stringify(kline)), { persistent: true, contentType: 'application/json' });
  }
  await pub.waitForConfirms();
}
