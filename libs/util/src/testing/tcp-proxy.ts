import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxyOptions {
  targetHost?: string;
  targetPort: number;
  /** 0 (default): any free port. */
  listenPort?: number;
}

/**
 * A TCP forwarder a test or benchmark puts between the apps and a real server (PostgreSQL, RabbitMQ) to
 * simulate faults for the apps only, while the server keeps serving everyone else:
 * `cut()` drops every connection and resets new ones until `restore()`; `dropConnections()` drops the
 * current connections once (a force-close), new ones go through.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private blocked = false;
  /** Connections reset while cut (a figure for reports). */
  refused = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(opts: TcpProxyOptions): Promise<TcpProxy> {
    const host = opts.targetHost ?? '127.0.0.1';
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.listenPort ?? 0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('TcpProxy: no port');
    const proxy = new TcpProxy(server, address.port);
    server.on('connection', (client: Socket) => proxy.accept(client, host, opts.targetPort));
    return proxy;
  }

  /** `postgres://u@127.0.0.1:5432/db` → the same URL through the proxy. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get isCut(): boolean {
    return this.blocked;
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Unreachable: current connections are reset, new ones are reset at once. */
  cut(): void {
    this.blocked = true;
    this.dropConnections();
  }

  restore(): void {
    this.blocked = false;
  }

  /** Resets every current connection (both sides see it closed); new connections still go through. */
  dropConnections(): number {
    const n = this.pairs.size;
    for (const [a, b] of this.pairs) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    this.pairs.clear();
    return n;
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, host: string, port: number): void {
    client.on('error', () => undefined);
    if (this.blocked) {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    client.pause();
    const upstream = createConnection({ host, port, noDelay: true });
    upstream.on('error', () => undefined);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = (): void => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    upstream.on('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }
}
