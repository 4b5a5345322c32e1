import { defineMetrics, metric, MetricsOf, MetricsRegistry } from '@model-service/util';
import { Injectable } from '@nestjs/common';

/** The figures SignalMetrics records, registered in this order. */
const SIGNAL_METRICS = {
  published: metric.counter('signals_published_total', 'Trading signals published and confirmed', ['strategy_id', 'asset', 'signal_type', 'mode']),
  skipped: metric.counter('signals_skipped_total', 'Signals not emitted, by reason', ['reason', 'strategy_id']),
  publishFailures: metric.counter('signal_publish_failures_total', 'Signals whose publish failed after every retry', ['strategy_id']),
  marketData: metric.counter('market_data_messages_total', 'Market-data messages applied to the cache', ['kind', 'source']),
  modeGauge: metric.gauge('strategy_mode', '1 for the current mode of each strategy', ['strategy_id', 'mode']),
  modeTransitions: metric.counter('strategy_mode_transitions_total', 'Mode changes of strategies', ['strategy_id', 'from', 'to']),
  owned: metric.gauge('strategies_owned', 'Strategies this replica owns (advisory lock held)'),
  decisionSeconds: metric.histogram('signal_pipeline_seconds', 'Decision to broker confirm, per published signal', [], [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]),
  modelLoads: metric.counter('model_loads_total', 'Model versions loaded or refused, by strategy and reason', ['strategy_id', 'outcome', 'reason']),
  modelSwitches: metric.counter('model_switches_total', 'Changes of the model a strategy decides with (to a version, or back to warm-up)', ['strategy_id', 'to']),
  inferenceSeconds: metric.histogram('model_inference_seconds', 'Both sides featurised and scored, per model decision', [], [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05]),
  positionLookups: metric.counter('position_lookups_total', 'Positions read for the model risk rules, by source', ['source']),
  positionDegraded: metric.gauge('position_manager_degraded', '1 while the position manager is unavailable and the positions table is used'),
};

/** The signal-generator's own Prometheus metrics (model_service_ prefix added by MetricsRegistry). */
@Injectable()
export class SignalMetrics {
  private readonly metrics: MetricsOf<typeof SIGNAL_METRICS>;

  constructor(registry: MetricsRegistry) {
    this.metrics = defineMetrics(registry, SIGNAL_METRICS);
  }

  modelLoaded(strategyId: string, outcome: 'loaded' | 'refused', reason = ''): void {
    this.metrics.modelLoads.inc({ strategy_id: strategyId, outcome, reason });
  }

  modelSwitched(strategyId: string, to: 'model' | 'warmup'): void {
    this.metrics.modelSwitches.inc({ strategy_id: strategyId, to });
  }

  inference(seconds: number): void {
    this.metrics.inferenceSeconds.observe(seconds);
  }

  positionLookup(source: string): void {
    this.metrics.positionLookups.inc({ source });
  }

  setPositionManagerDegraded(degraded: boolean): void {
    this.metrics.positionDegraded.set(degraded ? 1 : 0);
  }

  signalPublished(strategyId: string, asset: string, side: string, mode: string, seconds: number): void {
    this.metrics.published.inc({ strategy_id: strategyId, asset, signal_type: side, mode });
    this.metrics.decisionSeconds.observe(seconds);
  }

  signalSkipped(reason: string, strategyId: string): void {
    this.metrics.skipped.inc({ reason, strategy_id: strategyId });
  }

  publishFailed(strategyId: string): void {
    this.metrics.publishFailures.inc({ strategy_id: strategyId });
  }

  marketDataApplied(kind: string, source: 'queue' | 'replica'): void {
    this.metrics.marketData.inc({ kind, source });
  }

  modeChanged(strategyId: string, from: string, to: string): void {
    if (from !== to) this.metrics.modeTransitions.inc({ strategy_id: strategyId, from, to });
    for (const mode of ['warmup', 'model', 'idle']) this.metrics.modeGauge.set({ strategy_id: strategyId, mode }, mode === to ? 1 : 0);
  }

  setOwned(n: number): void {
    this.metrics.owned.set(n);
  }
}
