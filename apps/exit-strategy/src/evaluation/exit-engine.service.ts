import {
  evaluateExit,
  ExitDecision,
  ExitRateLimiter,
  ExitRulesConfig,
  isClosed,
  markExitSignalled,
  PositionSnapshot,
  PositionState,
  toEpochMs,
} from '@model-service/exit-rules';
import { CLOCK, Clock, Logger, runWithTrace } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';
import { exitRulesConfigOf, rateLimiterOptionsOf } from '../config/exit-rules.settings';
import type { PendingUpdate } from '../intake/update-debouncer';
import { mergeRestoredState } from '../state/position-state.mapper';
import { PositionStateStore } from '../state/position-state.store';
import { ExitMetrics } from './exit-metrics';
import { buildExitSignal } from './exit-signal.builder';
import { ExitSignalPublisher } from './exit-signal.publisher';

/**
 * Runs the exit rules for one position update at a time per position (the debouncer guarantees
 * that): keeps each open position's state in memory, persists it when it changes, asks the rate
 * limiter, publishes the SELL signal and records it in the state. A closed position's state is cleared.
 */
@Injectable()
export class ExitEngine {
  private readonly states = new Map<string, PositionState>();
  private readonly lastSnapshots = new Map<string, PositionSnapshot>();
  private readonly limiter: ExitRateLimiter;
  private readonly rules: ExitRulesConfig;
  private readonly log = new Logger('ExitEngine');

  constructor(
    private readonly env: ExitStrategyEnv,
    private readonly store: PositionStateStore,
    private readonly signals: ExitSignalPublisher,
    private readonly metrics: ExitMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.rules = exitRulesConfigOf(env);
    this.limiter = new ExitRateLimiter(rateLimiterOptionsOf(env), clock);
  }

  get rulesConfig(): ExitRulesConfig {
    return this.rules;
  }

  /**
   * Loads position_states into memory and seeds the rate limiter with each position's last exit
   * signal, so a restart neither forgets a peak nor signals again inside the cooldown. Rows are
   * merged with state already in memory (running maxima for the same position); the fallback calls
   * it every round, so a standby replica evaluates with the active replica's peaks and cooldowns.
   */
  async restore(): Promise<number> {
    const rows = await this.store.loadAll();
    for (const restored of rows) {
      if (this.store.isDeleting(restored.position_key)) continue;
      const memory = this.states.get(restored.position_key);
      const state = memory ? mergeRestoredState(memory, restored) : restored;
      this.states.set(restored.position_key, state);
      if (state.last_exit_signal_at !== null) this.limiter.record(state.position_key, state.asset, state.last_exit_signal_at);
    }
    this.metrics.trackedPositions.set(this.states.size);
    return rows.length;
  }

  stateOf(positionKey: string): PositionState | undefined {
    return this.states.get(positionKey);
  }

  /** Every position with state, for the fallback (state and the newest snapshot seen, if any). */
  knownPositions(): Array<{ key: string; state: PositionState; snapshot?: PositionSnapshot }> {
    return [...this.states].map(([key, state]) => ({ key, state, snapshot: this.lastSnapshots.get(key) }));
  }

  async process(key: string, update: PendingUpdate): Promise<void> {
    await runWithTrace(update.traceId, async () => {
      try {
        await this.evaluate(key, update);
      } catch (err) {
        this.metrics.failed('evaluate');
        this.log.error('exit evaluation failed', { position_key: key, error: err instanceof Error ? err.message : String(err) });
      }
    });
  }

  private async evaluate(key: string, update: PendingUpdate): Promise<void> {
    const { snapshot } = update;
    if (isClosed(snapshot)) return this.clear(key, snapshot);
    if (!this.env.EXIT_STRATEGY_ENABLED) return this.metrics.skipped('disabled');

    const now = this.clock.now();
    const prev = this.states.get(key);
    // Holding time is measured on the position manager's clock (the one opened_at comes from) for
    // pushed updates, so a replayed or simulated market ages positions consistently; fallback
    // evaluations of old rows use wall time. Cooldowns always use wall time.
    const stamped = toEpochMs(snapshot.timestamp);
    const holdNow = update.source === 'queue' && Number.isFinite(stamped) ? stamped : now;
    const result = evaluateExit(prev, snapshot, this.rules, holdNow, { observedHigh: update.observedHigh });
    if (result.skipped) return this.metrics.skipped(result.skipped);
    this.metrics.evaluations.inc({ source: update.source });
    if (result.startedFresh && prev) this.limiter.forget(key);
    this.lastSnapshots.set(key, snapshot);

    let state = result.state;
    if (result.decision) state = await this.signal(key, update, state, result.decision, now);
    this.states.set(key, state);
    this.metrics.trackedPositions.set(this.states.size);
    if (result.stateChanged || state !== result.state) this.store.save(state);
  }

  /** Publishes the exit when the rate limiter allows it; returns the state, marked when signalled. */
  private async signal(
    key: string,
    update: PendingUpdate,
    state: PositionState,
    decision: ExitDecision,
    now: number,
  ): Promise<PositionState> {
    const { snapshot } = update;
    const gate = this.limiter.tryAcquire(key, snapshot.asset, now);
    if (!gate.allowed) {
      this.metrics.suppressedBy(gate.reason, decision.rule);
      this.log.debug('exit suppressed by rate limit', {
        position_key: key,
        exit_reason: decision.rule,
        limit: gate.reason,
        retry_after_ms: gate.retryAfterMs,
      });
      return state;
    }
    const signal = buildExitSignal({
      snapshot,
      state,
      decision,
      traceId: update.traceId,
      source: update.source,
      defaultStrategyId: this.env.EXIT_STRATEGY_DEFAULT_STRATEGY_ID,
      now: new Date(now),
    });
    try {
      await this.signals.publish(signal);
    } catch (err) {
      // Not emitted: forget the cooldown just taken, so the next update (rules are state-based) fires again.
      this.limiter.forget(key);
      this.metrics.failed('publish');
      this.log.error('exit signal not published', {
        position_key: key,
        exit_reason: decision.rule,
        error: err instanceof Error ? err.message : String(err),
      });
      return state;
    }
    this.metrics.signalled(decision.rule);
    this.metrics.signalLatency.observe((performance.now() - update.receivedAt) / 1000);
    this.log.info('exit signal published', {
      signal_id: signal.signal_id,
      asset: signal.asset,
      strategy_id: signal.strategy_id,
      exit_reason: decision.rule,
      amount: signal.amount,
      price: snapshot.current_price,
      reason: decision.reason,
      source: update.source,
    });
    return markExitSignalled(state, decision, now);
  }

  private clear(key: string, snapshot: PositionSnapshot): void {
    const had = this.states.delete(key);
    this.lastSnapshots.delete(key);
    this.limiter.forget(key);
    this.metrics.trackedPositions.set(this.states.size);
    this.store.delete(key);
    if (had) {
      this.metrics.positionsClosed.inc();
      this.log.info('position closed; state cleared', { position_key: key, position_id: snapshot.position_id });
    }
  }
}
