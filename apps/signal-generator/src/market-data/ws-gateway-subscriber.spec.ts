import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { subscriptionRequests, WsGatewaySubscriber } from './ws-gateway-subscriber';

/** A real HTTP stub of ws-gateway: answers from a script, records what it got. */
async function stubGateway(answers: number[]): Promise<{ url: string; got: Array<{ key?: string; body: Record<string, unknown> }>; server: Server }> {
  const got: Array<{ key?: string; body: Record<string, unknown> }> = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (d) => (text += String(d)));
    req.on('end', () => {
      if (req.url !== '/api/v1/subscriptions' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      got.push({ key: req.headers['x-api-key'] as string | undefined, body: JSON.parse(text) as Record<string, unknown> });
      const status = answers[Math.min(n++, answers.length - 1)];
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, got, server };
}

describe('WsGatewaySubscriber', () => {
  it('asks for ticker, order book and kline of every asset with the API key', async () => {
    const gw = await stubGateway([201, 409]);
    try {
      await new WsGatewaySubscriber({ url: gw.url, apiKey: 'k-1', service: 'signal-generator', assets: ['BTCUSDT', 'ETHUSDT'], klineIntervals: ['1'] }).run();
      expect(gw.got.map((g) => g.body['topic']).sort()).toEqual(['kline.1.BTCUSDT', 'kline.1.ETHUSDT', 'orderbook.50.BTCUSDT', 'orderbook.50.ETHUSDT', 'tickers.BTCUSDT', 'tickers.ETHUSDT']);
      expect(gw.got.every((g) => g.key === 'k-1' && g.body['requesting_service'] === 'signal-generator')).toBe(true);
    } finally {
      gw.server.close();
    }
  });

  it('subscribes assets added later once each', async () => {
    const gw = await stubGateway([201]);
    try {
      const sub = new WsGatewaySubscriber({ url: gw.url, service: 's', assets: ['BTCUSDT'], klineIntervals: [] });
      await sub.run();
      await sub.add(['BTCUSDT', 'SOLUSDT']);
      await sub.add(['SOLUSDT']);
      expect(gw.got.map((g) => g.body['topic']).sort()).toEqual(['orderbook.50.BTCUSDT', 'orderbook.50.SOLUSDT', 'tickers.BTCUSDT', 'tickers.SOLUSDT']);
    } finally {
      gw.server.close();
    }
  });

  it('retries a failing request until it is accepted', async () => {
    const gw = await stubGateway([503, 500, 201]);
    try {
      await new WsGatewaySubscriber({ url: gw.url, service: 's', assets: ['BTCUSDT'], klineIntervals: [], orderbookDepth: 1 }).run();
      // 2 channels; the first two answers fail, so at least 4 requests, and both topics end up accepted.
      expect(gw.got.length).toBeGreaterThanOrEqual(4);
      expect(new Set(gw.got.map((g) => g.body['topic']))).toEqual(new Set(['tickers.BTCUSDT', 'orderbook.1.BTCUSDT']));
    } finally {
      gw.server.close();
    }
  }, 20_000);

  it('gives up after maxAttempts when the gateway is unreachable', async () => {
    const sub = new WsGatewaySubscriber({ url: 'http://127.0.0.1:9', service: 's', assets: ['BTCUSDT'], klineIntervals: [], maxAttempts: 2, timeoutMs: 500 });
    await expect(sub.run()).resolves.toBeUndefined();
  }, 20_000);

  it('builds one request per channel', () => {
    expect(subscriptionRequests({ url: 'x', service: 's', assets: ['SOLUSDT'], klineIntervals: ['1', '5'] })).toHaveLength(4);
  });
});
