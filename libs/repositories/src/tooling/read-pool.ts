import { Pool, PoolClient } from 'pg';

/** One pooled connection, lent for the duration of a read. */
export interface ReadConnection {
  query(sql: string): Promise<{ rows: unknown[] }>;
}

export interface ReadPoolOptions {
  applicationName: string;
  /** Connections at most (default 2). */
  max?: number;
  /** Give up connecting after this long. */
  connectTimeoutMs: number;
  /** Abandon a query after this long; its connection is thrown away. */
  queryTimeoutMs: number;
  /** Close idle connections after this long (default 10 s). */
  idleTimeoutMs?: number;
}

/**
 * A small pool for reads that must come back by themselves after an outage: a connection whose read
 * failed may be broken, so it is destroyed rather than handed back, and the next read opens a new one.
 * A dropped connection never raises an unhandled 'error' event.
 */
export class ReadPool {
  private readonly pool: Pool;

  constructor(url: string, opts: ReadPoolOptions) {
    this.pool = new Pool({
      connectionString: url,
      application_name: opts.applicationName,
      max: opts.max ?? 2,
      connectionTimeoutMillis: opts.connectTimeoutMs,
      query_timeout: opts.queryTimeoutMs,
      idleTimeoutMillis: opts.idleTimeoutMs ?? 10_000,
    });
    // A dropped connection emits 'error' on its client (idle: through the pool) besides failing its query, which
    // is what callers act on; an 'error' event without a listener would end the process.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  /** Runs `read` on one connection; rejects with the connection or query error (a failed transaction ends with it). */
  async use<T>(read: (connection: ReadConnection) => Promise<T>): Promise<T> {
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const result = await read(client);
      client.release();
      return result;
    } catch (err) {
      client?.release(err instanceof Error ? err : true);
      throw err;
    }
  }

  async end(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
