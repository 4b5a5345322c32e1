import { TradingSignal } from '@model-service/signals';
import { backoffMs, Logger } from '@model-service/util';

export interface SignalPersisterOptions {
  /** Signals kept while the database is failing; beyond it the oldest are dropped (counted). */
  maxBacklog: number;
  /** Writes in flight at once (default 4). */
  concurrency?: number;
  /** First retry delay after a failure (default 200 ms, doubling, capped at 30 s). */
  retryBaseMs?: number;
}

export interface PersisterMetrics {
  persistFailed(): void;
  persistDroppedSignals(n?: number): void;
  setPersistBacklog(n: number): void;
}

interface Item {
  signal: TradingSignal;
  publishedAt: Date;
  attempts: number;
}

/**
 * Stores published signals in the background: enqueue() returns at once, so a slow or failing
 * database never holds up the signal flow. A failed write is logged, counted and retried with
 * backoff (the whole queue pauses, as the database is likely down for every row).
 */
export class SignalPersister {
  private readonly items: Item[] = [];
  private head = 0;
  private active = 0;
  private pausedUntil = 0;
  private resumeTimer?: NodeJS.Timeout;
  private consecutiveFailures = 0;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly log = new Logger('SignalPersister');

  constructor(
    private readonly write: (signal: TradingSignal, publishedAt: Date) => Promise<unknown>,
    private readonly opts: SignalPersisterOptions,
    private readonly metrics?: PersisterMetrics,
  ) {
    this.concurrency = opts.concurrency ?? 4;
  }

  get backlog(): number {
    return this.items.length - this.head + this.active;
  }

  enqueue(signal: TradingSignal, publishedAt: Date): void {
    if (this.stopped) {
      this.log.error('signal not stored: persister stopped', { signal_id: signal.signal_id, trace_id: signal.trace_id });
      this.metrics?.persistDroppedSignals();
      return;
    }
    this.items.push({ signal, publishedAt, attempts: 0 });
    if (this.items.length - this.head > this.opts.maxBacklog) {
      const dropped = this.items[this.head++];
      this.log.error('signal not stored: persist backlog full, dropping the oldest', {
        signal_id: dropped.signal.signal_id,
        backlog: this.opts.maxBacklog,
      });
      this.metrics?.persistDroppedSignals();
    }
    this.pump();
  }

  /** Resolves when everything queued is stored, or after timeoutMs; returns how many are left. */
  async drain(timeoutMs: number): Promise<number> {
    if (this.backlog > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    return this.backlog;
  }

  /** Stops retrying; what is left is logged and counted as dropped. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.resumeTimer);
    const left = this.items.length - this.head;
    if (left > 0) {
      this.log.error('signals not stored at shutdown', { count: left, signal_ids: this.items.slice(this.head, this.head + 20).map((i) => i.signal.signal_id) });
      this.metrics?.persistDroppedSignals(left);
    }
    this.items.length = 0;
    this.head = 0;
  }

  private pump(): void {
    if (this.stopped || Date.now() < this.pausedUntil) return;
    while (this.active < this.concurrency && this.head < this.items.length) {
      const item = this.items[this.head++];
      this.active++;
      void this.run(item);
    }
    this.compact();
    this.metrics?.setPersistBacklog(this.backlog);
    if (this.backlog === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async run(item: Item): Promise<void> {
    try {
      item.attempts++;
      await this.write(item.signal, item.publishedAt);
      if (this.consecutiveFailures > 0) this.log.info('storing signals works again', { after_failures: this.consecutiveFailures });
      this.consecutiveFailures = 0;
    } catch (err) {
      this.consecutiveFailures++;
      this.metrics?.persistFailed();
      const delay = backoffMs(this.consecutiveFailures, this.opts.retryBaseMs ?? 200, 30_000);
      this.log.warn('storing a published signal failed; will retry', {
        signal_id: item.signal.signal_id,
        trace_id: item.signal.trace_id,
        attempt: item.attempts,
        retry_in_ms: delay,
        error: err instanceof Error ? err.message : String(err),
      });
      if (this.head > 0) this.items[--this.head] = item;
      else this.items.unshift(item);
      this.pausedUntil = Date.now() + delay;
      clearTimeout(this.resumeTimer);
      this.resumeTimer = setTimeout(() => this.pump(), delay);
    } finally {
      this.active--;
      this.pump();
    }
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }
}
