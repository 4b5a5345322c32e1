import { Publisher } from '@model-service/messaging';
import { parseKline, parseTicker } from '@model-service/signals';
import { configureLogging, MetricsRegistry } from '@model-service/util';

import { ReplayCandleSource } from '@model-service/candles';
import { Backlog } from './consumer-backlog';
import { MarketBook } from './market-book';
import { MarketReplay } from './market-replay';
import { MarketQuote } from './market-state';
import { SimClock } from './sim-clock';

const T0 = Date.UTC(2024, 0, 1);
const queues = { ticker: 'q.ticker', orderbook: 'q.orderbook', kline: 'q.kline' };

function setup(opts: { connected?: () => boolean; backlog?: () => Promise<Backlog | null>; candles?: number; maxBacklog?: number } = {}) {
  const candles = Array.from({ length: opts.candles ?? 3 }, (_, i) => ({ start: T0 + i * 60_000, open: 100 + i, high: 102 + i, low: 99 + i, close: 101 + i, volume: 5, turnover: 500 }));
  const source = new ReplayCandleSource([{ symbol: 'BTCUSDT', candles }], '1', 60_000);
  const sent: Array<{ queue: string; body: Record<string, unknown> }> = [];
  const publisher = { sendToQueue: async (queue: string, body: object) => void sent.push({ queue, body: body as Record<string, unknown> }) } as unknown as Publisher;
  const quotes: MarketQuote[] = [];
  let ended = 0;
  const book = new MarketBook(source.assets);
  const clock = new SimClock(source.startTime);
  const replay = new MarketReplay(
    { queues, candlesPerSecond: 500, ticksPerCandle: 2, spreadBps: 2, orderbookLevels: 5, maxConsumerBacklog: opts.maxBacklog ?? 100 },
    source,
    book,
    clock,
    publisher,
    opts.connected ?? (() => true),
    async (q) => void quotes.push(q),
    async () => void ended++,
    new MetricsRegistry(),
    opts.backlog,
  );
  return { replay, sent, quotes, book, clock, ended: () => ended };
}

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('MarketReplay', () => {
  beforeAll(() => configureLogging({ service: 'test', level: 'error' }));

  it('publishes ticker, order book and kline per price update, confirms klines on close, then ends', async () => {
    const s = setup();
    s.replay.start();
    await until(() => s.ended() === 1);
    expect(s.replay.info()['status']).toBe('ended');
    expect(s.book.ended).toBe(true);
    expect(s.sent.filter((m) => m.queue === queues.ticker)).toHaveLength(6);
    expect(s.sent.filter((m) => m.queue === queues.orderbook)).toHaveLength(6);
    const klines = s.sent.filter((m) => m.queue === queues.kline).map((m) => parseKline(m.body));
    expect(klines.map((k) => k.candles[0].confirm)).toEqual([false, true, false, true, false, true]);
    expect(klines.filter((k) => k.candles[0].confirm).map((k) => k.candles[0].close)).toEqual([101, 102, 103]);
    // Simulated time: half-way and close of each candle; the quotes reach the order manager in order.
    expect(s.quotes.map((q) => q.time)).toEqual([T0 + 30_000, T0 + 59_999, T0 + 90_000, T0 + 119_999, T0 + 150_000, T0 + 179_999]);
    expect(s.clock.now()).toBe(T0 + 179_999);
    expect(parseTicker(s.sent[0].body).ts).toBe(T0 + 30_000);
  });

  it('pauses (and stops simulated time) while a consumer is behind, resuming below half the limit', async () => {
    let depth = 500;
    const s = setup({ backlog: async () => ({ queue: 'q.ticker', messages: depth }), maxBacklog: 100 });
    s.replay.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(s.quotes).toHaveLength(0);
    expect(s.replay.info()).toMatchObject({ status: 'paused', waiting_for: { queue: 'q.ticker', messages: 500 } });
    depth = 80; // below the limit but not below half: still waiting
    await new Promise((r) => setTimeout(r, 400));
    expect(s.quotes).toHaveLength(0);
    depth = 10;
    await until(() => s.ended() === 1);
    expect(s.quotes).toHaveLength(6);
  });

  it('pauses while RabbitMQ is unreachable and stops cleanly when asked', async () => {
    let up = false;
    const s = setup({ connected: () => up, candles: 1000 });
    s.replay.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(s.replay.info()['status']).toBe('paused');
    expect(s.sent).toHaveLength(0);
    up = true;
    await until(() => s.quotes.length > 3);
    await s.replay.stop();
    const count = s.quotes.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(s.quotes.length).toBe(count);
    expect(s.replay.info()['status']).toBe('stopped');
  });
});
