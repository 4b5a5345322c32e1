import { createHash } from 'node:crypto';

import { AdvisoryLockSession } from '@model-service/repositories';
import { Logger } from '@model-service/util';

/** A non-negative 31-bit int from a string (advisory lock keys; same on every replica). */
export function lockKeyPart(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) & 0x7fffffff;
}

/** The two-int advisory lock key of a strategy within a namespace (schema + queue prefix). */
export function strategyLockKey(namespace: string, strategyId: string): [number, number] {
  return [lockKeyPart(`signal-generator/strategy/${namespace}`), lockKeyPart(strategyId)];
}

export function membershipLockKey(namespace: string): [number, number] {
  return [lockKeyPart(`signal-generator/members/${namespace}`), 0];
}

/** Strategies this replica may own: the share ceil(total / replicas alive). */
export function ownershipTarget(total: number, members: number): number {
  return Math.ceil(total / Math.max(1, members));
}

/** How old a successful round trip on the lock connection may be and still prove the lock held. */
export const OWNERSHIP_PROOF_MS = 200;
/** Heartbeat period while strategies are owned: several heartbeats fit in one proof window. */
const HEARTBEAT_MS = OWNERSHIP_PROOF_MS / 4;

export interface StrategyOwnershipOptions {
  url: string;
  /** Replicas share ownership only within a namespace (schema and queue prefix). */
  namespace: string;
  strategyIds: string[];
  /** How often to re-check: count replicas, take free strategies, hand over extras. */
  retryMs: number;
  replicaId: string;
  /** This replica now owns the strategy: start emitting. */
  onAcquired(id: string): void;
  /** This replica no longer owns it: stop emitting; resolve only when nothing more will be published. */
  onReleased(id: string, reason: string): Promise<void>;
}

/**
 * Who emits for which strategy: one PostgreSQL session-level advisory lock per strategy, held on a
 * dedicated connection. When a replica dies its connection drops and PostgreSQL releases its locks;
 * the others try free locks every retryMs. Each replica also holds a shared "member" lock, so all can
 * count the replicas alive and take only their share, handing extras over when a replica joins.
 * Before each publish the pipeline calls confirm(): proof that the session, and so the lock, is still held.
 * The proof is a round trip on the lock connection sent at most OWNERSHIP_PROOF_MS ago: a heartbeat keeps
 * one that fresh while strategies are owned, so a decision does not wait for a round trip of its own on
 * the one shared lock connection (under CPU contention that wait was most of the signal path's p99).
 * What this allows, and why it is safe:
 * - PostgreSQL releases a session's locks only when the session ends. When it ends it on its side
 *   (terminated backend, restart) it first sends FATAL or closes the socket; the client sees that and
 *   ownership is dropped synchronously (lose), exactly as a failed per-decision ping was seen before.
 * - A connection that dies silently (network cut) is noticed by PostgreSQL only through TCP keepalive
 *   or retransmission time-outs (seconds), then another replica needs its next retry cycle: far longer
 *   than the proof window, after which confirm() waits for a round trip that cannot succeed.
 */
export class StrategyOwnership {
  private client: AdvisoryLockSession | null = null;
  private readonly owned = new Set<string>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private cycling: Promise<void> = Promise.resolve();
  private lastError = '';
  private members = 0;
  /** performance.now() when the newest round trip that succeeded on the current lock connection was sent. */
  private provenAt = -Infinity;
  /** The round trip in flight (shared by heartbeat and confirm calls) and when it was sent. */
  private proving: { client: AdvisoryLockSession; sentAt: number; done: Promise<boolean> } | null = null;
  private heartbeat?: NodeJS.Timeout;
  private readonly log = new Logger('StrategyOwnership');

  constructor(private readonly opts: StrategyOwnershipOptions) {}

  start(): void {
    this.stopped = false;
    this.tick(0);
  }

  owns(id: string): boolean {
    return this.owned.has(id);
  }

  ownedIds(): string[] {
    return [...this.owned].sort();
  }

  /** Replicas alive in the namespace as last counted (this one included); 0 before the first count. */
  replicaCount(): number {
    return this.members;
  }

  status(): Record<string, unknown> {
    return { replica_id: this.opts.replicaId, connected: this.client !== null, replicas: this.members, owned: this.ownedIds() };
  }

  /**
   * True when the lock of `id` is held: owned, the lock connection not seen failing, and a round trip on it
   * sent within the last OWNERSHIP_PROOF_MS succeeded. Without such a proof (heartbeat late or failing) it
   * waits for a round trip sent now; false when that fails.
   */
  async confirm(id: string): Promise<boolean> {
    const client = this.client;
    if (!client || !this.owned.has(id)) return false;
    const asked = performance.now();
    if (asked - this.provenAt <= OWNERSHIP_PROOF_MS) return true;
    const inFlight = this.proving;
    const proof = inFlight && inFlight.client === client && inFlight.sentAt >= asked - OWNERSHIP_PROOF_MS ? inFlight.done : this.roundTrip(client);
    return (await proof) && this.owned.has(id) && this.client === client;
  }

  /** A round trip on the lock connection; on success it is the new proof, on failure the connection is lost. */
  private roundTrip(client: AdvisoryLockSession): Promise<boolean> {
    const sentAt = performance.now();
    const done = client.ping().then(
      () => {
        if (this.client === client) this.provenAt = Math.max(this.provenAt, sentAt);
        return true;
      },
      async (err: unknown) => {
        await this.lose(client, err);
        return false;
      },
    );
    const entry = { client, sentAt, done };
    this.proving = entry;
    void done.finally(() => {
      if (this.proving === entry) this.proving = null;
    });
    return done;
  }

  /** Keeps a fresh proof while strategies are owned (one round trip at a time). */
  private beat(): void {
    const client = this.client;
    if (!client || this.owned.size === 0 || this.proving?.client === client) return;
    void this.roundTrip(client);
  }

  /** Releases every strategy (after its runner stopped) and closes the lock connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    await this.cycling.catch(() => undefined);
    for (const id of this.ownedIds()) {
      this.owned.delete(id);
      await this.opts.onReleased(id, 'shutdown');
    }
    const client = this.client;
    this.client = null;
    await client?.close();
  }

  private tick(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.cycling = this.cycle()
        .catch((err: unknown) => this.log.error('ownership cycle failed', { error: err instanceof Error ? err : String(err) }))
        .finally(() => this.tick(this.opts.retryMs * (0.75 + Math.random() * 0.5)));
    }, delay);
  }

  private async cycle(): Promise<void> {
    const client = this.client ?? (await this.connect());
    if (!client || this.stopped) return;
    try {
      this.members = await client.countHolders(membershipLockKey(this.opts.namespace));
      const total = this.opts.strategyIds.length;
      const target = ownershipTarget(total, this.members);
      if (this.owned.size < target) await this.acquire(client, target);
      else if (this.owned.size > target) await this.handOver(client);
    } catch (err) {
      await this.lose(client, err);
    }
  }

  private async acquire(client: AdvisoryLockSession, target: number): Promise<void> {
    const free = this.opts.strategyIds.filter((id) => !this.owned.has(id)).sort(() => Math.random() - 0.5);
    for (const id of free) {
      if (this.owned.size >= target || this.stopped) return;
      const taken = await client.tryLock(strategyLockKey(this.opts.namespace, id));
      if (!taken || this.client !== client) continue;
      this.owned.add(id);
      this.log.info('strategy ownership acquired', { strategy_id: id, replica_id: this.opts.replicaId, replicas: this.members, owned: this.owned.size });
      this.opts.onAcquired(id);
    }
  }

  /** One strategy more than our share goes back (stop emitting first, then unlock) for a newer replica to take. */
  private async handOver(client: AdvisoryLockSession): Promise<void> {
    const id = this.ownedIds()[this.owned.size - 1];
    this.owned.delete(id);
    await this.opts.onReleased(id, 'rebalance: handed over to another replica');
    await client.unlock(strategyLockKey(this.opts.namespace, id));
    this.log.info('strategy ownership handed over', { strategy_id: id, replica_id: this.opts.replicaId, replicas: this.members });
  }

  private async connect(): Promise<AdvisoryLockSession | null> {
    let client: AdvisoryLockSession | null = null;
    try {
      client = await AdvisoryLockSession.open({
        url: this.opts.url,
        applicationName: `signal-generator-locks:${this.opts.replicaId}`,
        queryTimeoutMs: Math.max(2_000, Math.min(10_000, this.opts.retryMs * 2)),
        connectTimeoutMs: 5_000,
        onLost: (session, err) => void this.lose(session, err),
      });
      await client.tryLockShared(membershipLockKey(this.opts.namespace));
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (text !== this.lastError) this.log.warn('cannot open the ownership lock connection; retrying', { error: text });
      this.lastError = text;
      await client?.close();
      return null;
    }
    if (this.stopped) {
      await client.close();
      return null;
    }
    this.lastError = '';
    this.client = client;
    this.provenAt = -Infinity;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.log.info('ownership lock connection open', { replica_id: this.opts.replicaId, namespace: this.opts.namespace });
    return client;
  }

  /** The lock connection failed: PostgreSQL drops our locks with it, so stop emitting everything. */
  private async lose(client: AdvisoryLockSession, err: unknown): Promise<void> {
    if (this.client !== client) return;
    this.client = null;
    this.provenAt = -Infinity;
    clearInterval(this.heartbeat);
    const lost = this.ownedIds();
    this.owned.clear();
    if (!this.stopped) {
      this.log.error('ownership lock connection lost; stopping every strategy until the locks are re-taken', {
        replica_id: this.opts.replicaId,
        strategies: lost,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    void client.close();
    await Promise.all(lost.map((id) => this.opts.onReleased(id, 'lock connection lost')));
  }
}
