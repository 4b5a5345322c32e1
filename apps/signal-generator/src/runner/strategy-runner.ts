import { Logger } from '@model-service/util';

import { DecisionSource, StrategyMode } from '../decision/decision-source';
import { StrategyConfig } from '../strategies/strategy-config';

/** What made a strategy decide now. */
export interface TriggerInfo {
  kind: 'schedule' | 'market_data';
  /** Trace id of the market-data message that triggered it (market_data trigger). */
  traceId?: string;
}

/** What a decision reads of its strategy, each time at the moment it needs it (the runner is one). */
export interface StrategyView {
  readonly strategy: StrategyConfig;
  readonly decisionSource: DecisionSource | null;
  readonly mode: StrategyMode;
  trades(asset: string): boolean;
  warmupExpired(now?: number): boolean;
}

/** Where a runner sends its decisions and what it reports (the app: the signal pipeline). */
export interface RunnerHooks {
  /** Takes one decision (and publishes it); never called twice at once for the same asset. */
  evaluate(strategy: StrategyView, asset: string, trigger: TriggerInfo): Promise<unknown>;
  modeChanged?(strategyId: string, from: StrategyMode, to: StrategyMode): void;
  /** A scheduled decision came due while the previous one of the asset was still running (it is skipped). */
  busy?(strategyId: string, asset: string): void;
  /** A waiting ticker (market_data trigger) was replaced by a newer one of the same asset: it makes no decision. */
  coalesced?(strategyId: string, asset: string): void;
}

/**
 * One strategy: its current decision source (warm-up heuristic now, a model later — switchable at
 * run time), its mode, and its triggers: a drift-free timer per asset (`schedule`) or each ticker of
 * the asset at most once per period (`market_data`). At most one decision per asset is in flight.
 * Runs only while this replica owns the strategy (start/stop).
 */
export class StrategyRunner implements StrategyView {
  private source: DecisionSource | null;
  private running = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly lastRunAt = new Map<string, number>();
  /** market_data trigger: the newest ticker that arrived while the asset's decision was running. */
  private readonly pending = new Map<string, string | undefined>();
  private readonly log = new Logger('StrategyRunner');
  /** The assets it trades now: its configured ones, or the automatic selection's (setAssets). */
  private tradedAssets: string[];
  /** Warm-up limit (WARMUP_MAX_DURATION_SECONDS): no warm-up signal at or after this epoch ms. */
  private warmupEnd: { startedAt: number; deadline: number } | null = null;
  readonly periodMs: number;

  constructor(
    readonly strategy: StrategyConfig,
    initialSource: DecisionSource | null,
    private readonly hooks: RunnerHooks,
    initialReason = 'start-up',
  ) {
    this.source = initialSource;
    this.tradedAssets = [...strategy.assets];
    this.periodMs = strategy.frequency_seconds * 1000;
    this.logMode(null, initialReason, true);
  }

  get mode(): StrategyMode {
    return this.source?.mode ?? 'idle';
  }

  get decisionSource(): DecisionSource | null {
    return this.source;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get assets(): readonly string[] {
    return this.tradedAssets;
  }

  /** Whether `asset` is (still) one this strategy trades; checked again just before a signal is published. */
  trades(asset: string): boolean {
    return this.tradedAssets.includes(asset);
  }

  /**
   * Replaces the traded assets without a restart: new ones start (respecting their last signal time),
   * removed ones stop at once (a decision under way for one is not published: see trades()).
   */
  setAssets(next: readonly string[], reason: string, traceId?: string): void {
    const added = next.filter((a) => !this.tradedAssets.includes(a));
    const removed = this.tradedAssets.filter((a) => !next.includes(a));
    if (added.length === 0 && removed.length === 0) return;
    this.tradedAssets = [...next];
    for (const asset of removed) {
      const t = this.timers.get(asset);
      if (t) clearTimeout(t);
      this.timers.delete(asset);
      this.pending.delete(asset);
    }
    if (this.running && this.strategy.trigger === 'schedule') {
      const now = Date.now();
      for (const asset of added) {
        const last = this.lastRunAt.get(asset);
        this.schedule(asset, Math.max(now, last === undefined ? 0 : last + this.periodMs));
      }
    }
    this.log.info('strategy assets changed', { strategy_id: this.strategy.id, trace_id: traceId, added, removed, assets: this.tradedAssets, reason, running: this.running });
  }

  /** Bounds warm-up: from `startedAt` (epoch ms, kept across restarts) for `maxMs`. */
  limitWarmup(startedAt: number, maxMs: number): void {
    this.warmupEnd = { startedAt, deadline: startedAt + maxMs };
  }

  /** When warm-up signals end (epoch ms), or null when unlimited. */
  get warmupDeadline(): number | null {
    return this.warmupEnd?.deadline ?? null;
  }

  /** True when warm-up is bounded and its time is up (whatever the current mode). */
  warmupExpired(now = Date.now()): boolean {
    return this.warmupEnd !== null && now >= this.warmupEnd.deadline;
  }

  /** Replaces the decision source (e.g. warm-up -> model); decisions already under way finish with the old one. */
  switchTo(source: DecisionSource | null, reason: string): void {
    const before = this.source;
    this.source = source;
    this.logMode(before, reason);
  }

  /**
   * Starts the triggers. `lastSignalAt` (epoch ms per asset, e.g. from trading_signals) keeps the
   * frequency across a restart or a hand-over from another replica: no asset fires before last + period.
   */
  start(lastSignalAt: ReadonlyMap<string, number> = new Map()): void {
    if (this.running) return;
    this.running = true;
    const now = Date.now();
    this.tradedAssets.forEach((asset, i) => {
      const last = lastSignalAt.get(asset);
      if (last !== undefined) this.lastRunAt.set(asset, last);
      if (this.strategy.trigger !== 'schedule') return;
      // Spread the assets over the first period (at most 5 s) so they do not all fire together.
      const offset = (Math.min(this.periodMs, 5_000) * i) / this.tradedAssets.length;
      this.schedule(asset, Math.max(now + offset, last === undefined ? 0 : last + this.periodMs));
    });
    this.log.info('strategy started', { strategy_id: this.strategy.id, mode: this.mode, assets: this.tradedAssets, trigger: this.strategy.trigger });
  }

  /** Stops the triggers and waits for decisions under way (so nothing is published after it resolves). */
  async stop(reason: string): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
    await Promise.allSettled([...this.inFlight.values()]);
    this.log.info('strategy stopped', { strategy_id: this.strategy.id, reason });
  }

  /**
   * A ticker of `asset` arrived: decide now if this strategy is market-data triggered and the asset is due.
   * While a decision of the asset is running, the newest ticker waits and is decided on right after it.
   */
  onMarketData(asset: string, traceId?: string): void {
    if (!this.running || this.strategy.trigger !== 'market_data' || !this.tradedAssets.includes(asset)) return;
    if (this.inFlight.has(asset)) {
      if (this.pending.has(asset)) this.hooks.coalesced?.(this.strategy.id, asset);
      this.pending.set(asset, traceId);
      return;
    }
    const last = this.lastRunAt.get(asset);
    if (last !== undefined && Date.now() - last < this.periodMs) return;
    this.fire(asset, { kind: 'market_data', traceId });
  }

  status(): Record<string, unknown> {
    return {
      id: this.strategy.id,
      mode: this.mode,
      model_version: this.source?.modelVersion ?? null,
      running: this.running,
      assets: this.tradedAssets,
      warmup: this.warmupEnd
        ? {
            started_at: new Date(this.warmupEnd.startedAt).toISOString(),
            ends_at: new Date(this.warmupEnd.deadline).toISOString(),
            expired: this.warmupExpired(),
          }
        : null,
      heuristic: this.strategy.heuristic,
      frequency_seconds: this.strategy.frequency_seconds,
      trigger: this.strategy.trigger,
    };
  }

  private schedule(asset: string, due: number): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.timers.delete(asset);
      if (!this.running || !this.tradedAssets.includes(asset)) return;
      if (this.source) {
        if (this.inFlight.has(asset)) this.hooks.busy?.(this.strategy.id, asset);
        else this.fire(asset, { kind: 'schedule' });
      }
      let next = due + this.periodMs;
      // Fell behind (event loop stalled): continue from now instead of firing a backlog.
      if (next < Date.now()) next = Date.now() + this.periodMs;
      this.schedule(asset, next);
    }, Math.max(0, due - Date.now()));
    this.timers.set(asset, timer);
  }

  private fire(asset: string, trigger: TriggerInfo): void {
    if (!this.source) return;
    this.lastRunAt.set(asset, Date.now());
    const job = this.hooks
      .evaluate(this, asset, trigger)
      .catch((err: unknown) => this.log.error('decision failed', { strategy_id: this.strategy.id, asset, error: err instanceof Error ? err : String(err) }))
      .finally(() => {
        this.inFlight.delete(asset);
        if (!this.pending.has(asset)) return;
        const next = this.pending.get(asset);
        this.pending.delete(asset);
        this.onMarketData(asset, next);
      });
    this.inFlight.set(asset, job);
  }

  private logMode(before: DecisionSource | null, reason: string, initial = false): void {
    const from: StrategyMode | 'none' = initial ? 'none' : (before?.mode ?? 'idle');
    const to = this.mode;
    this.log.info('strategy mode', {
      strategy_id: this.strategy.id,
      from,
      to,
      reason,
      at: new Date().toISOString(),
      model_version: this.source?.modelVersion ?? null,
      previous_model_version: before?.modelVersion ?? null,
      params: this.source?.describe() ?? {},
    });
    this.hooks.modeChanged?.(this.strategy.id, from === 'none' ? to : from, to);
  }
}
