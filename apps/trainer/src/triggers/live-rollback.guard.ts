import { modeOutcomeFields } from '@model-service/features';
import { ExecutedDecisionRepository, ModelVersionEntity } from '@model-service/repositories';
import { Logger, newTraceId, runWithTrace } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';
import { trainingSettingsOf } from '@model-service/training';
import { ModelRegistry } from '../models/model-registry.service';
import { compareLiveWithWarmup, judgeLiveModel, LiveComparison, LiveVerdict } from './live-rollback.rule';

/**
 * Most executions of one strategy one check reads (lean rows, ~100 MB in memory at most; a few seconds): the
 * newest, so the model's trades since activation come first and the oldest warm-up entries are what falls off.
 */
export const MAX_EXECUTIONS_PER_CHECK = 200_000;

export interface LiveRollbackCheck {
  verdict: LiveVerdict | 'off' | 'error';
  comparison: LiveComparison | null;
  /** Set when the model was rolled back: the version now active, or null (back to warm-up). */
  rolledBackTo?: string | null;
}

/**
 * Rolls back an active model whose live entries earn less than its strategy's warm-up entries beyond noise
 * (judgeLiveModel: the 99.9 % interval of the difference of mean net returns below zero, once
 * MODEL_ROLLBACK_MIN_TRADES are in). Runs with the quality monitor's hourly check: both judge
 * the active model on its live executions, the trainer owns the label settings and the registry that activates,
 * rolls back and announces, and an hourly cadence is frequent enough for trades that take a label horizon
 * (15 min by default) to settle.
 */
@Injectable()
export class LiveRollbackGuard {
  private readonly log = new Logger('LiveRollbackGuard');

  constructor(
    private readonly env: TrainerEnv,
    private readonly decisions: ExecutedDecisionRepository,
    private readonly registry: ModelRegistry,
  ) {}

  async check(active: ModelVersionEntity): Promise<LiveRollbackCheck> {
    const minTrades = this.env.MODEL_ROLLBACK_MIN_TRADES;
    if (minTrades === 0 || !active.activatedAt) return { verdict: 'off', comparison: null };
    const strategyId = active.strategyId;
    // Every execution of the strategy: the warm-up baseline is all its warm-up entries, and labels take later
    // prices from every execution, as the trainer's dataset of the strategy does.
    const { rows, truncated } = await this.decisions.list({ strategyId }, MAX_EXECUTIONS_PER_CHECK);
    if (truncated) this.log.warn('live rollback check read only the newest executions of the strategy', { strategy_id: strategyId, read: rows.length });
    const comparison = compareLiveWithWarmup(rows, active.version, active.activatedAt.getTime(), trainingSettingsOf(this.env).labels);
    const verdict = judgeLiveModel(comparison, minTrades);
    const figures = describe(comparison, minTrades);
    if (verdict !== 'rollback') {
      this.log.info('live results against warm-up', { strategy_id: strategyId, version: active.version, verdict, ...figures });
      return { verdict, comparison };
    }
    const reason =
      `live mean net return of ${active.version} below warm-up's: ${pct(comparison.model.meanReturn)} vs ${pct(comparison.warmup.meanReturn)} ` +
      `over ${comparison.model.n} vs ${comparison.warmup.n} trades, difference ${pct(comparison.decisive?.difference ?? null)} ` +
      `with 99.9 % interval [${pct(comparison.decisive?.low ?? null)}, ${pct(comparison.decisive?.high ?? null)}] below zero`;
    const { to } = await runWithTrace(newTraceId(), () =>
      this.registry.rollbackFailing(strategyId, active.version, { source: 'trainer', trigger: 'live_below_warmup', reason, ...figures }),
    );
    this.log.warn('model rolled back: live results below warm-up', {
      strategy_id: strategyId,
      version: active.version,
      rolled_back_to: to,
      back_to_warmup: to === null,
      reason,
      ...figures,
    });
    return { verdict, comparison, rolledBackTo: to };
  }
}

/** The figures in snake_case (log fields and event metadata). */
function describe(c: LiveComparison, minTrades: number): Record<string, unknown> {
  return {
    min_trades: minTrades,
    model: modeOutcomeFields(c.model),
    warmup: modeOutcomeFields(c.warmup),
    /** 95 % interval, as the API and the demo show it. */
    mean_net_return_difference: c.difference,
    /** 99.9 % interval: the rollback happens when its high is below zero. */
    mean_net_return_difference_999: c.decisive,
  };
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(3)} %`);
