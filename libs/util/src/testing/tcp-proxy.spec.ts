import { createConnection, createServer, type Server, type Socket } from 'node:net';

import { TcpProxy } from './tcp-proxy';

/** A line echo server: answers every chunk with the same bytes. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as { port: number }).port };
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

function roundTrip(s: Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    s.once('data', (d) => resolve(d.toString()));
    s.once('error', reject);
    s.write(text);
  });
}

const closed = (s: Socket): Promise<void> => new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe('TcpProxy', () => {
  let echo: { server: Server; port: number };
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = await echoServer();
    proxy = await TcpProxy.start({ targetPort: echo.port });
  });

  afterEach(async () => {
    await proxy.close();
    await new Promise((r) => echo.server.close(r));
  });

  it('forwards both ways and rewrites a URL to go through it', async () => {
    const s = await connect(proxy.port);
    expect(await roundTrip(s, 'ping')).toBe('ping');
    expect(proxy.connections).toBe(1);
    expect(proxy.rewrite('postgres://u@db.example:5432/x?a=1')).toBe(`postgres://u@127.0.0.1:${proxy.port}/x?a=1`);
    s.destroy();
  });

  it('cut() resets open connections and every new one until restore()', async () => {
    const s = await connect(proxy.port);
    s.on('error', () => undefined);
    await roundTrip(s, 'a');
    proxy.cut();
    await closed(s);
    const refused = createConnection({ host: '127.0.0.1', port: proxy.port });
    refused.on('error', () => undefined);
    await closed(refused);
    expect(proxy.refused).toBe(1);
    proxy.restore();
    const again = await connect(proxy.port);
    expect(await roundTrip(again, 'back')).toBe('back');
    again.destroy();
  });

  it('dropConnections() closes what is open once; new connections go through', async () => {
    const s = await connect(proxy.port);
    s.on('error', () => undefined);
    await roundTrip(s, 'a');
    expect(proxy.dropConnections()).toBe(1);
    await closed(s);
    const next = await connect(proxy.port);
    expect(await roundTrip(next, 'b')).toBe('b');
    next.destroy();
  });
});
