import { compareTimestamps, PositionSnapshot } from '@model-service/exit-rules';

import type { UpdateSource } from '../evaluation/exit-metrics';

/** One position's newest update waiting for evaluation. */
export interface PendingUpdate {
  snapshot: PositionSnapshot;
  traceId: string;
  source: UpdateSource;
  /** performance.now() when the newest update was received (latency metric). */
  receivedAt: number;
  /** Highest price / pnl% among the same position's earlier updates coalesced into this one. */
  observedHigh?: { price: number; pnlPct: number };
  /** How many older updates this one replaced. */
  coalesced: number;
}

/** `evaluated`: handed to `run` at once (leading edge); `scheduled`: waits for the open window or run. */
export type PushOutcome = 'evaluated' | 'scheduled' | 'coalesced' | 'stale';

export type Scheduler = (fn: () => void, delayMs: number) => () => void;

/** setImmediate for 0 ms (same event-loop turn's burst still coalesces), setTimeout otherwise. */
export const realScheduler: Scheduler = (fn, delayMs) => {
  if (delayMs <= 0) {
    const handle = setImmediate(fn);
    return () => clearImmediate(handle);
  }
  const handle = setTimeout(fn, delayMs);
  return () => clearTimeout(handle);
};

interface KeyEntry {
  pending?: PendingUpdate;
  /** Closes the window opened by the last hand-over; set while the window is open. */
  cancel?: () => void;
  running?: Promise<void>;
  /** Newest timestamp accepted for this key (pending or already handed over). */
  newest?: PositionSnapshot;
}

function samePosition(a: PositionSnapshot, b: PositionSnapshot): boolean {
  return a.position_id === b.position_id && a.average_entry_price === b.average_entry_price && a.size > 0 && b.size > 0;
}

type High = { price: number; pnlPct: number };

function maxHigh(a: High | undefined, b: High | undefined): High | undefined {
  if (!a || !b) return a ?? b;
  return { price: Math.max(a.price, b.price), pnlPct: Math.max(a.pnlPct, b.pnlPct) };
}

/** The highest price / pnl% an update stands for: its own and what it already carried. */
function highOf(u: PendingUpdate): High {
  return maxHigh({ price: u.snapshot.current_price, pnlPct: u.snapshot.unrealized_pnl_pct }, u.observedHigh) as High;
}

/**
 * Per-position leading-edge debounce. The first update of a quiet position is handed to `run` at
 * once and opens a window of `windowMs`; updates arriving while that evaluation runs or inside the
 * window replace one pending update, which is handed over — once, the newest — when the window has
 * closed and the evaluation has finished, opening the next window. A protective exit therefore never
 * waits for a timer, while a burst still costs at most two evaluations (its first and its newest) and
 * a steady stream one per window. Updates older than one already accepted are dropped (`stale`), so
 * an older state is never evaluated after a newer one; `run` calls of one position never overlap.
 */
export class UpdateDebouncer {
  private readonly entries = new Map<string, KeyEntry>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly windowMs: number,
    private readonly run: (key: string, update: PendingUpdate) => Promise<void>,
    private readonly schedule: Scheduler = realScheduler,
    /** Most positions remembered for the staleness check once idle; the oldest idle ones are forgotten first. */
    private readonly maxIdleKeys = 100_000,
  ) {}

  push(key: string, update: PendingUpdate): PushOutcome {
    const entry = this.entries.get(key) ?? {};
    if (entry.newest && compareTimestamps(update.snapshot, entry.newest) < 0) return 'stale';
    entry.newest = update.snapshot;
    const prev = entry.pending;
    let outcome: PushOutcome = 'scheduled';
    if (prev) {
      outcome = 'coalesced';
      const carried = samePosition(prev.snapshot, update.snapshot) ? highOf(prev) : undefined;
      entry.pending = { ...update, observedHigh: maxHigh(carried, update.observedHigh), coalesced: prev.coalesced + 1 + update.coalesced };
    } else {
      entry.pending = update;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (!entry.cancel && !entry.running && !this.stopped) {
      this.fire(key, entry);
      outcome = 'evaluated';
    }
    this.trimIdle();
    return outcome;
  }

  /** Positions with an update waiting or being evaluated. */
  get busyKeys(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.pending || e.running) n++;
    return n;
  }

  /** Hands every pending update over now (no new windows) and waits until nothing is running. */
  async flushAll(): Promise<void> {
    for (;;) {
      for (const [key, entry] of this.entries) {
        if (entry.pending && !entry.running) {
          entry.cancel?.();
          entry.cancel = undefined;
          this.fire(key, entry, false);
        }
      }
      if (this.running.size === 0) return;
      await Promise.allSettled([...this.running]);
    }
  }

  /** Stops opening windows, evaluates what is pending and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.flushAll();
  }

  /** Opens the window after a hand-over; when it closes, the newest pending update goes (if no run is on). */
  private openWindow(key: string, entry: KeyEntry): void {
    entry.cancel = this.schedule(() => {
      entry.cancel = undefined;
      if (entry.pending && !entry.running) this.fire(key, entry);
    }, this.windowMs);
  }

  private fire(key: string, entry: KeyEntry, withWindow = !this.stopped): void {
    const update = entry.pending;
    if (!update || entry.running) return;
    entry.pending = undefined;
    if (withWindow) this.openWindow(key, entry);
    const job = this.run(key, update)
      .catch(() => undefined)
      .finally(() => {
        entry.running = undefined;
        this.running.delete(job);
        // The window outlived the run: its close hands the pending update over. Otherwise the run
        // outlived the window (or we are stopping): hand it over now.
        if (entry.pending && !entry.cancel) this.fire(key, entry);
      });
    entry.running = job;
    this.running.add(job);
  }

  private trimIdle(): void {
    if (this.entries.size <= this.maxIdleKeys) return;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxIdleKeys) return;
      if (!entry.pending && !entry.running && !entry.cancel) this.entries.delete(key);
    }
  }
}
