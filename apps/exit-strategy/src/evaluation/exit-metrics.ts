import type { ExitReason, ExitSkipReason, ExitSuppressReason } from '@model-service/exit-rules';
import { metric, MetricSet } from '@model-service/util';
import { Injectable } from '@nestjs/common';

/** Where a snapshot came from: the queue, or the fallback's positions table / position-manager API. */
export type UpdateSource = 'queue' | 'positions_table' | 'position_manager_api' | 'last_known';

/** Why an update was not evaluated (the rules' skip reasons plus the app's own). */
export type UpdateSkipReason = ExitSkipReason | 'older_than_pending' | 'disabled';

/** Every exit-strategy figure on /metrics (model_service_exit_*). */
@Injectable()
export class ExitMetrics extends MetricSet({
  updatesReceived: metric.counter('exit_updates_received_total', 'Position updates taken off the queue'),
  updatesCoalesced: metric.counter(
    'exit_updates_coalesced_total',
    'Updates replaced by a newer one of the same position within the debounce window (never evaluated)',
  ),
  updatesSkipped: metric.counter('exit_updates_skipped_total', 'Updates not evaluated, by reason', ['reason']),
  evaluations: metric.counter('exit_evaluations_total', 'Exit rule evaluations, by snapshot source', ['source']),
  signals: metric.counter('exit_signals_total', 'Exit signals published and confirmed, by exit reason', ['exit_reason']),
  suppressed: metric.counter(
    'exit_signals_suppressed_total',
    'Exit decisions not signalled because of rate limiting, by limiter reason and exit reason',
    ['reason', 'exit_reason'],
  ),
  failures: metric.counter('exit_failures_total', 'Failures, by stage', ['stage']),
  positionsClosed: metric.counter('exit_positions_closed_total', 'Closed positions whose state was cleared'),
  stateWrites: metric.counter('exit_state_writes_total', 'position_states rows written or deleted', ['op']),
  trackedPositions: metric.gauge('exit_tracked_positions', 'Open positions with state in memory'),
  fallbackActive: metric.gauge('exit_fallback_active', '1 while evaluating from the positions table / position-manager API instead of the queue'),
  fallbackRounds: metric.counter('exit_fallback_rounds_total', 'Fallback evaluation rounds, by outcome', ['outcome']),
  signalLatency: metric.histogram(
    'exit_signal_latency_seconds',
    'Update received → exit signal confirmed by the broker',
    [],
    [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  ),
}) {
  skipped(reason: UpdateSkipReason): void {
    this.updatesSkipped.inc({ reason });
  }

  signalled(reason: ExitReason): void {
    this.signals.inc({ exit_reason: reason });
  }

  suppressedBy(reason: ExitSuppressReason, exitReason: ExitReason): void {
    this.suppressed.inc({ reason, exit_reason: exitReason });
  }

  failed(stage: 'publish' | 'persist_signal' | 'persist_state' | 'restore' | 'fallback_source' | 'republish' | 'evaluate'): void {
    this.failures.inc({ stage });
  }
}
