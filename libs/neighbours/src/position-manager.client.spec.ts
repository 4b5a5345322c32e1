import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { PositionManagerClient, PositionManagerUnavailableError } from './position-manager.client';

type Answer = { status: number; body: string; delayMs?: number };

describe('PositionManagerClient', () => {
  let server: Server;
  let url: string;
  let answer: Answer;
  const seen: Array<{ path: string; key: string | undefined }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const key = req.headers['x-api-key'];
      seen.push({ path: req.url ?? '', key: typeof key === 'string' ? key : undefined });
      const { status, body, delayMs } = answer;
      setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(body), delayMs ?? 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const client = (timeoutMs = 500) => new PositionManagerClient({ baseUrl: `${url}//`, apiKey: 'k-1', timeoutMs });

  it('asks for the asset with the key and reads the answer; 404 is flat', async () => {
    answer = { status: 200, body: JSON.stringify({ asset: 'BTCUSDT', positions: [{ asset: 'BTCUSDT', size: '0.5', current_price: 100 }] }) };
    expect(await client().positions('BTCUSDT')).toMatchObject({ asset: 'BTCUSDT', positions: [{ size: 0.5, currentPrice: 100 }] });
    expect(seen.at(-1)).toEqual({ path: '/api/v1/positions/BTCUSDT', key: 'k-1' });
    answer = { status: 404, body: '{"error":"not_found"}' };
    expect(await client().positions('ETHUSDT')).toEqual({ asset: 'ETHUSDT', positions: [] });
  });

  it.each<[string, Answer, number, string]>([
    ['a late answer (timeout)', { status: 200, body: '[]', delayMs: 400 }, 100, 'timeout'],
    ['a 500 (http_status)', { status: 500, body: 'boom' }, 500, 'http_status'],
    ['a 401 (http_status)', { status: 401, body: '{"error":"unauthorized"}' }, 500, 'http_status'],
    ['a body that is not JSON (malformed)', { status: 200, body: '{"positions": [' }, 500, 'malformed'],
    ['JSON of another shape (malformed)', { status: 200, body: '{"hello":"world"}' }, 500, 'malformed'],
  ])('%s is unavailable', async (_name, a, timeoutMs, kind) => {
    answer = a;
    const err = await client(timeoutMs).positions('BTCUSDT').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PositionManagerUnavailableError);
    expect(err).toMatchObject({ kind });
  });

  it('no server is a network error', async () => {
    const closed = new PositionManagerClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 500 });
    await expect(closed.positions('BTCUSDT')).rejects.toMatchObject({ name: 'PositionManagerUnavailableError', kind: 'network' });
  });
});
