import { OperationsReadRepository, SignalFlowRepository } from '@model-service/repositories';
import { Clock, CLOCK } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { isoRequired } from '../common/iso';
import { resolveTimeRange } from '../common/time-range';
import { fieldError } from '../http/api-error';
import { TimeSeriesQuery } from '../models/model-requests.dto';
import { ModelsPerformanceQuery } from './monitoring.dto';
import { ExitsByReasonDto, SignalTimeSeriesDto } from './ops.dto';

const DAY_MS = 86_400_000;

/** Signals per strategy and mode over time, and exits per exit rule: what the signals table says about the flow. */
@Injectable()
export class SignalFlowService {
  constructor(
    private readonly reads: OperationsReadRepository,
    private readonly flow: SignalFlowRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async signalTimeSeries(q: TimeSeriesQuery): Promise<SignalTimeSeriesDto> {
    const range = resolveTimeRange(q, this.clock.now(), DAY_MS);
    const buckets = await this.flow.signalCounts(await this.reads.knownStrategyIds(), range);
    const totals: Record<string, number> = { warmup: 0, model: 0, exit: 0 };
    for (const b of buckets) totals[b.mode] = (totals[b.mode] ?? 0) + b.count;
    return {
      granularity: range.granularity,
      start_time: range.start.toISOString(),
      end_time: range.end.toISOString(),
      items: buckets.map((b) => ({ timestamp: isoRequired(b.bucket), strategy_id: b.strategyId, mode: b.mode, count: b.count })),
      totals_by_mode: totals,
    };
  }

  /** Exit signals in the window (default: the last 24 h), per strategy and exit rule. */
  async exitsByReason(q: ModelsPerformanceQuery): Promise<ExitsByReasonDto> {
    const end = q.end_time ?? new Date(this.clock.now());
    const start = q.start_time ?? new Date(end.getTime() - DAY_MS);
    if (end.getTime() <= start.getTime()) throw fieldError('start_time', 'start_time must be before end_time (default: now)');
    const ids = q.strategy_id !== undefined ? [q.strategy_id] : await this.reads.knownStrategyIds();
    const rows = await this.flow.exitsByReason(ids, start, end);
    const byReason: Record<string, number> = {};
    for (const r of rows) byReason[r.exitReason] = (byReason[r.exitReason] ?? 0) + r.count;
    return {
      start_time: start.toISOString(),
      end_time: end.toISOString(),
      items: rows.map((r) => ({ strategy_id: r.strategyId, exit_reason: r.exitReason, count: r.count, last_at: isoRequired(r.lastAt) })),
      by_reason: byReason,
      total: rows.reduce((n, r) => n + r.count, 0),
    };
  }
}
