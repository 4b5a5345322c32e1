import { randomUUID } from 'node:crypto';

import { parse, TradingSignal } from '@model-service/signals';
import { Logger, runWithTrace } from '@model-service/util';

import { AccountState } from '../account/account-state';
import { SignalDecision } from '../decision/decision-source';
import { MarketView } from '../market-data/market-data-cache';
import { runChecks, SignalCheck } from '../checks/signal-check';
import { StrategyMode } from '../decision/decision-source';
import { buildSignal, buildSnapshot } from './signal-builder';
import { RunnerHooks, StrategyView, TriggerInfo } from './strategy-runner';

/** What TradingSignal.trace_id accepts: 1-128 printable ASCII characters without spaces. */
const TRACE_ID = /^[\x21-\x7e]{1,128}$/;

/** What one decision came to. */
export type EvaluationResult = { published: TradingSignal } | { skipped: string; detail: string };

/** The outside world of the pipeline; the app wires real services, unit tests fakes. */
export interface PipelinePorts {
  lookupMarket(asset: string, interval: string): { ok: true; view: MarketView } | { ok: false; reason: string; detail: string };
  readAccount(strategyId: string, asset: string, price: number): Promise<AccountState>;
  /** The lock of the strategy is still held (checked just before publishing; see StrategyOwnership.confirm). */
  confirmOwnership(strategyId: string): Promise<boolean>;
  /** Resolves on the broker's confirm (the signal's record then waits in the broker until it is stored). */
  publish(signal: TradingSignal): Promise<void>;
  skipped(reason: string, strategyId: string): void;
  published(signal: TradingSignal, mode: string, seconds: number): void;
  publishFailed(strategyId: string): void;
  modeChanged?(strategyId: string, from: StrategyMode, to: StrategyMode): void;
}

/**
 * One decision of one strategy on one asset, in order: fresh market data -> account state -> the
 * strategy's decision source -> guards (open orders, balance, position limit, rate limit) -> the
 * signal, validated against the contract -> ownership re-checked -> published with confirm (once, to a
 * fanout exchange: the order manager's queue and our records queue, whose writer stores it in
 * trading_signals). Every step that stops it is logged with its reason and counted.
 *
 * It is where the strategy runners send their decisions and report the ones they do not take (busy,
 * coalesced) and their mode changes: data flows runner -> pipeline -> ports, never back.
 */
export class SignalPipeline implements RunnerHooks {
  private readonly log = new Logger('SignalPipeline');

  constructor(
    private readonly ports: PipelinePorts,
    private readonly guards: readonly SignalCheck[],
    private readonly replicaId: string,
  ) {}

  evaluate(runner: StrategyView, asset: string, trigger: TriggerInfo): Promise<EvaluationResult> {
    const traceId = trigger.traceId !== undefined && TRACE_ID.test(trigger.traceId) ? trigger.traceId : randomUUID();
    return runWithTrace(traceId, () => this.run(runner, asset, trigger));
  }

  /** A scheduled decision came due while the previous one of the asset was still running: skipped. */
  busy(strategyId: string, asset: string): void {
    this.ports.skipped('busy', strategyId);
    this.log.info('signal skipped', { strategy_id: strategyId, asset, reason: 'busy', detail: 'the previous decision of this asset is still running' });
  }

  /** A waiting ticker was replaced by a newer one of the same asset: it makes no decision. */
  coalesced(strategyId: string): void {
    this.ports.skipped('coalesced', strategyId);
  }

  modeChanged(strategyId: string, from: StrategyMode, to: StrategyMode): void {
    this.ports.modeChanged?.(strategyId, from, to);
  }

  private async run(runner: StrategyView, asset: string, trigger: TriggerInfo): Promise<EvaluationResult> {
    const started = performance.now();
    const strategy = runner.strategy;
    if (!runner.decisionSource) return this.skip(runner, asset, 'idle', 'no decision source (warm-up disabled and no model)');
    if (runner.decisionSource.mode === 'warmup' && runner.warmupExpired()) {
      return this.skip(runner, asset, 'warmup_expired', 'the warm-up max duration passed with no promoted model');
    }
    const market = this.ports.lookupMarket(asset, strategy.kline_interval);
    if (!market.ok) return this.skip(runner, asset, market.reason, market.detail);

    let account: AccountState;
    try {
      account = await this.ports.readAccount(strategy.id, asset, market.view.price);
    } catch (err) {
      return this.skip(runner, asset, 'account_state_unavailable', `reading orders, balances and positions failed: ${errorText(err)}`);
    }

    // A source switched in while the account was read (e.g. a newly activated model) takes this decision already.
    const source = runner.decisionSource;
    if (!source) {
      return this.skip(runner, asset, 'idle', 'no decision source (warm-up disabled and no model)');
    }
    const now = Date.now();
    // Built once: the decision source (a model's features) and the published signal see the very same snapshot.
    const snapshot = buildSnapshot(market.view, account);
    const decision = await source.decide({ strategy, asset, market: market.view, account, snapshot, now });
    if (decision.action === 'skip') return this.skip(runner, asset, decision.reason, decision.detail);

    const guarded = runChecks(this.guards, { strategy, asset, side: decision.side, amount: decision.amount, price: market.view.price, account });
    if (!guarded.outcome.pass) return this.skip(runner, asset, guarded.outcome.reason, guarded.outcome.detail, decision);

    const signal = buildSignal({
      strategy,
      asset,
      decision,
      amount: guarded.outcome.amount,
      market: market.view,
      snapshot,
      now,
      source,
      trigger,
      replicaId: this.replicaId,
      guardNotes: guarded.notes,
    });
    try {
      parse(TradingSignal, signal);
    } catch (err) {
      this.log.error('signal failed contract validation; not published', { strategy_id: strategy.id, asset, signal, error: errorText(err) });
      return this.skip(runner, asset, 'invalid_signal', errorText(err), decision);
    }

    // Last, so the proof is as fresh as it gets: a round trip on the lock connection at most
    // OWNERSHIP_PROOF_MS old (kept fresh by a heartbeat, so normally no wait), else one sent now.
    if (!(await this.ports.confirmOwnership(strategy.id).catch(() => false))) {
      return this.skip(runner, asset, 'ownership_lost', 'this replica no longer holds the strategy lock', decision);
    }
    // The selection or the warm-up limit may have moved while deciding: neither lets this signal out.
    if (!runner.trades(asset)) return this.skip(runner, asset, 'asset_deselected', `${asset} left the strategy's assets while it was decided`, decision);
    if (source.mode === 'warmup' && runner.warmupExpired()) {
      return this.skip(runner, asset, 'warmup_expired', 'the warm-up max duration passed with no promoted model', decision);
    }
    try {
      await this.ports.publish(signal);
    } catch (err) {
      this.ports.publishFailed(strategy.id);
      this.log.error('signal publish failed', { strategy_id: strategy.id, asset, signal_id: signal.signal_id, error: errorText(err) });
      return { skipped: 'publish_failed', detail: errorText(err) };
    }
    source.onPublished?.(asset, signal.signal_type);
    this.ports.published(signal, source.mode, (performance.now() - started) / 1000);
    this.log.info('signal published', {
      signal_id: signal.signal_id,
      strategy_id: strategy.id,
      asset,
      signal_type: signal.signal_type,
      amount: signal.amount,
      confidence: signal.confidence,
      mode: source.mode,
      trigger: trigger.kind,
    });
    return { published: signal };
  }

  private skip(runner: StrategyView, asset: string, reason: string, detail: string, decision?: SignalDecision): EvaluationResult {
    this.ports.skipped(reason, runner.strategy.id);
    this.log.info('signal skipped', {
      strategy_id: runner.strategy.id,
      asset,
      reason,
      detail,
      mode: runner.mode,
      ...(decision ? { signal_type: decision.side, amount: decision.amount, confidence: decision.confidence } : {}),
    });
    return { skipped: reason, detail };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
