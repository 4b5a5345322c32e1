import { ReadConnection, ReadPool } from '@model-service/repositories/tooling';

import { LoopBacklog, loopBacklog } from './demo-database';
import { DemoSnapshot, readSnapshot } from './demo-summary';

/** Whether the last read reached the database, and since when it has not. */
export interface DatabaseState {
  reachable: boolean;
  /** When the current outage started (ms epoch), null while reachable. */
  unreachableSince: number | null;
  /** When the figures shown were read (ms epoch), null before the first good read. */
  readAt: number | null;
  /** The last connection or query error, shortened. */
  error: string | null;
  /** Whether the last failure was the server answering with an SQL error (not an outage): a bug to show as such. */
  queryFailed: boolean;
  /** The last outage that ended: how long it lasted. */
  lastOutageMs: number | null;
}

export interface SummaryReaderOptions {
  /** Give up connecting after this long (default 3 s): a refresh must not stall the screen. */
  connectTimeoutMs?: number;
  /** Abandon a query after this long (default 15 s); its connection is thrown away. */
  queryTimeoutMs?: number;
  /** Called with the time for the state figures (tests). */
  now?: () => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The demo's reads of PostgreSQL. A pool rather than one client: a connection that an outage broke is
 * thrown away and the next read opens a new one, so the summary comes back by itself. A failed read
 * keeps the last figures (a snapshot is whole or absent, never zeros for what could not be read) and
 * says the database is unreachable.
 */
export class SummaryReader {
  private readonly pool: ReadPool;
  private readonly now: () => number;
  private last: DemoSnapshot | null = null;
  private readonly state: DatabaseState = { reachable: false, unreachableSince: null, readAt: null, error: null, queryFailed: false, lastOutageMs: null };

  constructor(url: string, opts: SummaryReaderOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.pool = new ReadPool(url, {
      applicationName: 'model-service-demo',
      max: 2,
      connectTimeoutMs: opts.connectTimeoutMs ?? 3_000,
      queryTimeoutMs: opts.queryTimeoutMs ?? 15_000,
    });
  }

  /** The latest figures read (possibly from before an outage), null before the first good read. */
  get snapshot(): DemoSnapshot | null {
    return this.last;
  }

  get database(): DatabaseState {
    return { ...this.state };
  }

  /** Reads a fresh snapshot; on failure keeps the previous one and returns null. */
  async refresh(): Promise<DemoSnapshot | null> {
    const fresh = await this.attempt(async (c) => {
      // One consistent view: figures read a moment apart would not add up (fills without their signals).
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot = await readSnapshot(c);
      await c.query('COMMIT');
      return snapshot;
    });
    if (fresh) this.last = fresh;
    return fresh;
  }

  /**
   * A fresh snapshot, retrying every intervalMs until the database answers or timeoutMs passes; null when
   * it never did (the caller then knows its figures are stale).
   */
  async readUntilReachable(timeoutMs: number, intervalMs = 1_000): Promise<DemoSnapshot | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const fresh = await this.refresh();
      if (fresh || Date.now() + intervalMs > deadline) return fresh;
      await sleep(intervalMs);
    }
  }

  /** The loop's backlog, or null when the database did not answer. */
  backlog(): Promise<LoopBacklog | null> {
    return this.attempt((c) => loopBacklog(c));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async attempt<T>(read: (connection: ReadConnection) => Promise<T>): Promise<T | null> {
    try {
      const result = await this.pool.use(read);
      this.reached();
      return result;
    } catch (err) {
      this.failed(err);
      return null;
    }
  }

  private reached(): void {
    const t = this.now();
    if (this.state.unreachableSince !== null) this.state.lastOutageMs = t - this.state.unreachableSince;
    Object.assign(this.state, { reachable: true, unreachableSince: null, readAt: t, error: null, queryFailed: false });
  }

  private failed(err: unknown): void {
    const text = err instanceof Error ? err.message : String(err);
    this.state.reachable = false;
    this.state.unreachableSince ??= this.now();
    this.state.error = (text || 'no answer').slice(0, 120);
    // SQLSTATE classes 08 (connection) and 57 (operator intervention, e.g. shutdown) are outages; others are answers.
    const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
    this.state.queryFailed = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57)/.test(code);
  }
}
