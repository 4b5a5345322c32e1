import { MetricsRegistry } from '@model-service/util';
import { Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';

/** The signal-generator's own Prometheus metrics (model_service_ prefix added by MetricsRegistry). */
@Injectable()
export class SignalMetrics {
  private readonly published: Counter<string>;
  private readonly skipped: Counter<string>;
  private readonly publishFailures: Counter<string>;
  private readonly marketData: Counter<string>;
  private readonly modeGauge: Gauge<string>;
  private readonly modeTransitions: Counter<string>;
  private readonly owned: Gauge<string>;
  private readonly decisionSeconds: Histogram<string>;
  private readonly modelLoads: Counter<string>;
  private readonly modelSwitches: Counter<string>;
  private readonly inferenceSeconds: Histogram<string>;
  private readonly positionLookups: Counter<string>;
  private readonly positionDegraded: Gauge<string>;

  constructor(metrics: MetricsRegistry) {
    this.published = metrics.counter('signals_published_total', 'Trading signals published and confirmed', ['strategy_id', 'asset', 'signal_type', 'mode']);
    this.skipped = metrics.counter('signals_skipped_total', 'Signals not emitted, by reason', ['reason', 'strategy_id']);
    this.publishFailures = metrics.counter('signal_publish_failures_total', 'Signals whose publish failed after every retry', ['strategy_id']);
    this.marketData = metrics.counter('market_data_messages_total', 'Market-data messages applied to the cache', ['kind', 'source']);
    this.modeGauge = metrics.gauge('strategy_mode', '1 for the current mode of each strategy', ['strategy_id', 'mode']);
    this.modeTransitions = metrics.counter('strategy_mode_transitions_total', 'Mode changes of strategies', ['strategy_id', 'from', 'to']);
    this.owned = metrics.gauge('strategies_owned', 'Strategies this replica owns (advisory lock held)');
    this.decisionSeconds = metrics.histogram('signal_pipeline_seconds', 'Decision to broker confirm, per published signal', [], [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]);
    this.modelLoads = metrics.counter('model_loads_total', 'Model versions loaded or refused, by strategy and reason', ['strategy_id', 'outcome', 'reason']);
    this.modelSwitches = metrics.counter('model_switches_total', 'Changes of the model a strategy decides with (to a version, or back to warm-up)', ['strategy_id', 'to']);
    this.inferenceSeconds = metrics.histogram('model_inference_seconds', 'Both sides featurised and scored, per model decision', [], [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05]);
    this.positionLookups = metrics.counter('position_lookups_total', 'Positions read for the model risk rules, by source', ['source']);
    this.positionDegraded = metrics.gauge('position_manager_degraded', '1 while the position manager is unavailable and the positions table is used');
  }

  modelLoaded(strategyId: string, outcome: 'loaded' | 'refused', reason = ''): void {
    this.modelLoads.inc({ strategy_id: strategyId, outcome, reason });
  }

  modelSwitched(strategyId: string, to: 'model' | 'warmup'): void {
    this.modelSwitches.inc({ strategy_id: strategyId, to });
  }

  inference(seconds: number): void {
    this.inferenceSeconds.observe(seconds);
  }

  positionLookup(source: string): void {
    this.positionLookups.inc({ source });
  }

  setPositionManagerDegraded(degraded: boolean): void {
    this.positionDegraded.set(degraded ? 1 : 0);
  }

  signalPublished(strategyId: string, asset: string, side: string, mode: string, seconds: number): void {
    this.published.inc({ strategy_id: strategyId, asset, signal_type: side, mode });
    this.decisionSeconds.observe(seconds);
  }

  signalSkipped(reason: string, strategyId: string): void {
    this.skipped.inc({ reason, strategy_id: strategyId });
  }

  publishFailed(strategyId: string): void {
    this.publishFailures.inc({ strategy_id: strategyId });
  }

  marketDataApplied(kind: string, source: 'queue' | 'replica'): void {
    this.marketData.inc({ kind, source });
  }

  modeChanged(strategyId: string, from: string, to: string): void {
    if (from !== to) this.modeTransitions.inc({ strategy_id: strategyId, from, to });
    for (const mode of ['warmup', 'model', 'idle']) this.modeGauge.set({ strategy_id: strategyId, mode }, mode === to ? 1 : 0);
  }

  setOwned(n: number): void {
    this.owned.set(n);
  }
}
