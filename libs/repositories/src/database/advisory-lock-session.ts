import { Client } from 'pg';

/** A two-int PostgreSQL advisory lock key, as `pg_try_advisory_lock(int, int)` takes it. */
export type AdvisoryLockKey = readonly [number, number];

export interface AdvisoryLockSessionOptions {
  url: string;
  /** application_name of the connection (cut to PostgreSQL's 63 bytes). */
  applicationName: string;
  /** Client-side timeout of every statement on the connection. */
  queryTimeoutMs: number;
  connectTimeoutMs?: number;
  /**
   * The connection failed or ended (not through close()): PostgreSQL has dropped every lock of the
   * session with it. Called at most once per session.
   */
  onLost(session: AdvisoryLockSession, error: Error): void;
}

/**
 * Session-level advisory locks on a dedicated connection (not the pool: a pooled connection would
 * hand the session, and so the locks, to whoever borrows it next). Locks live as long as the
 * connection: when this process dies or the connection drops, PostgreSQL releases them, which is
 * what lets another replica take over.
 */
export class AdvisoryLockSession {
  private closed = false;
  private lost = false;

  private constructor(
    private readonly client: Client,
    private readonly opts: AdvisoryLockSessionOptions,
  ) {}

  /** Connects; rejects (with the connection closed) when PostgreSQL cannot be reached. */
  static async open(opts: AdvisoryLockSessionOptions): Promise<AdvisoryLockSession> {
    const client = new Client({
      connectionString: opts.url,
      keepAlive: true,
      application_name: opts.applicationName.slice(0, 63),
      query_timeout: opts.queryTimeoutMs,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    });
    const session = new AdvisoryLockSession(client, opts);
    client.on('error', (err) => session.fail(err));
    client.on('end', () => session.fail(new Error('lock connection ended')));
    try {
      await client.connect();
    } catch (err) {
      session.closed = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    return session;
  }

  /** Takes the exclusive lock if it is free (or already ours); false when another session holds it. */
  tryLock(key: AdvisoryLockKey): Promise<boolean> {
    return this.bool('SELECT pg_try_advisory_lock($1, $2) AS ok', key);
  }

  /** Takes the lock in shared mode unless a session holds it exclusively. */
  tryLockShared(key: AdvisoryLockKey): Promise<boolean> {
    return this.bool('SELECT pg_try_advisory_lock_shared($1, $2) AS ok', key);
  }

  /** Releases one exclusive hold of the lock; false when this session did not hold it. */
  unlock(key: AdvisoryLockKey): Promise<boolean> {
    return this.bool('SELECT pg_advisory_unlock($1, $2) AS ok', key);
  }

  /** Sessions (this one included) holding the lock right now, shared or exclusive. */
  async countHolders(key: AdvisoryLockKey): Promise<number> {
    const res = await this.client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_locks
        WHERE locktype = 'advisory' AND classid = $1::oid AND objid = $2::oid AND objsubid = 2 AND granted`,
      [key[0], key[1]],
    );
    return Number(res.rows[0]?.n ?? 0);
  }

  /** A round trip on the connection: resolves only while the session, and so its locks, is alive. */
  async ping(): Promise<void> {
    await this.client.query('SELECT 1');
  }

  /** Ends the connection (PostgreSQL releases every lock of the session); onLost is not called. */
  async close(): Promise<void> {
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }

  private async bool(sql: string, key: AdvisoryLockKey): Promise<boolean> {
    const res = await this.client.query<{ ok: boolean }>(sql, [key[0], key[1]]);
    return res.rows[0]?.ok === true;
  }

  private fail(error: Error): void {
    if (this.closed || this.lost) return;
    this.lost = true;
    this.opts.onLost(this, error);
  }
}
