import { FEATURE_SET_VERSION } from '@model-service/features';

import { AccountState } from '../account/account-state';
import { Decision, DecisionInput, DecisionSource } from '../decision/decision-source';
import { RiskPosition } from '../risk/position-risk.reader';
import { StrategyConfig } from '../strategies/strategy-config';
import { LoadedModel } from './model-loader';
import { amountForConfidence, hashOf, scoreSides, SideScores } from './model-scoring';

/** Reason of the SELL that closes a position above the take-profit threshold. */
export const TAKE_PROFIT_REASON = 'take_profit_triggered';

/** One model inference, as observed (metrics; tests compare the vectors with the trainer's). */
export interface InferenceRecord {
  strategyId: string;
  asset: string;
  version: string;
  /** The signal timestamp the features were built for. */
  timestamp: string;
  scores: SideScores;
  /** featureVectorHash of the chosen side's vector. */
  hash: string;
  /** Building both vectors, the model call and the hash. */
  seconds: number;
}

export interface ModelDecisionDeps {
  /** The strategy's position for the risk rules (position manager, cache, or the positions table). */
  position(strategyId: string, asset: string, account: AccountState, price: number): Promise<RiskPosition>;
  /** MODEL_SIGNAL_MIN_CONFIDENCE */
  minConfidence: number;
  /** MODEL_SERVICE_TAKE_PROFIT_PCT */
  takeProfitPct: number;
  inferred?(record: InferenceRecord): void;
  /** The model threw while scoring (the decision is skipped). */
  failed?(error: unknown): void;
  /** Disposal of a retired model waits this long for decisions that picked it up just before the switch. */
  retireGraceMs?: number;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;
const fmt = (x: number): string => String(Number(x.toPrecision(6)));

/**
 * Decisions of one strategy from its active model. In order: the position (take profit: above
 * MODEL_SERVICE_TAKE_PROFIT_PCT unrealized PnL a SELL closes it, confidence 1, before any inference);
 * both sides scored with the model (features from the decision's snapshot); the likelier side; skipped
 * below MODEL_SIGNAL_MIN_CONFIDENCE; a BUY skipped while the position exceeds max_position_size_ratio;
 * the amount scaled from min_amount to max_amount by confidence. The pipeline's guards run afterwards.
 */
export class ModelDecisionSource implements DecisionSource {
  readonly mode = 'model' as const;
  private inFlight = 0;
  private retired = false;
  private disposed = false;

  constructor(
    readonly model: LoadedModel,
    private readonly strategy: StrategyConfig,
    private readonly deps: ModelDecisionDeps,
  ) {}

  get modelVersion(): string {
    return this.model.version;
  }

  describe(): Record<string, unknown> {
    return {
      model_version: this.model.version,
      model_type: this.model.modelType,
      feature_set_version: FEATURE_SET_VERSION,
      checksum: this.model.checksum,
      held_out_accuracy: this.model.accuracy,
      min_confidence: this.deps.minConfidence,
      take_profit_pct: this.deps.takeProfitPct,
      max_position_size_ratio: this.strategy.risk.max_position_size_ratio,
      min_amount: this.strategy.min_amount,
      max_amount: this.strategy.max_amount,
    };
  }

  async decide(input: DecisionInput): Promise<Decision> {
    this.inFlight++;
    try {
      return await this.decideNow(input);
    } finally {
      this.inFlight--;
      if (this.retired && this.inFlight === 0) this.release();
    }
  }

  /** No longer the strategy's source: frees the model once no decision uses it (after a short grace). */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    const grace = this.deps.retireGraceMs ?? 10_000;
    if (grace <= 0) {
      if (this.inFlight === 0) this.release();
      return;
    }
    setTimeout(() => {
      if (this.inFlight === 0) this.release();
    }, grace).unref();
  }

  private release(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.predictor.dispose();
  }

  private async decideNow({ strategy, asset, market, account, snapshot, now }: DecisionInput): Promise<Decision> {
    const position = await this.deps.position(strategy.id, asset, account, market.price);
    const positionDetails = {
      position_source: position.source,
      position_size: position.size,
      position_size_norm: round8(position.sizeNorm),
      unrealized_pnl_pct: position.unrealizedPnlPct,
    };
    if (position.size > 0 && position.unrealizedPnlPct !== null && position.unrealizedPnlPct > this.deps.takeProfitPct) {
      return {
        action: 'signal',
        side: 'sell',
        confidence: 1,
        amount: round8(position.size * market.price),
        reason: TAKE_PROFIT_REASON,
        details: { ...positionDetails, rule: 'take_profit', take_profit_pct: this.deps.takeProfitPct, closes_position: true, model_version: this.model.version },
      };
    }

    const timestamp = new Date(now).toISOString();
    const started = performance.now();
    let scores: SideScores;
    let hash: string;
    try {
      scores = scoreSides(this.model.predictor, snapshot, timestamp, this.model.calibrate);
      hash = hashOf(scores[scores.best]);
    } catch (err) {
      this.deps.failed?.(err);
      return { action: 'skip', reason: 'inference_failed', detail: `model ${this.model.version}: ${err instanceof Error ? err.message : String(err)}` };
    }
    const seconds = (performance.now() - started) / 1000;
    this.deps.inferred?.({ strategyId: strategy.id, asset, version: this.model.version, timestamp, scores, hash, seconds });

    // SELL is a candidate only with a position of the strategy's own (or short selling configured).
    const sellable = strategy.short_selling || position.size > 0;
    const side = sellable ? scores.best : 'buy';
    const chosen = scores[side];
    const confidence = round4(Math.min(1, Math.max(0, chosen.probability)));
    const summary = `P(profitable | buy) ${fmt(scores.buy.probability)}, P(profitable | sell) ${fmt(scores.sell.probability)}${sellable ? '' : ' (sell not a candidate: no position of its own)'}`;
    if (confidence < this.deps.minConfidence) {
      return { action: 'skip', reason: 'low_confidence', detail: `model ${this.model.version}: ${summary}; below MODEL_SIGNAL_MIN_CONFIDENCE ${this.deps.minConfidence}` };
    }
    const ratio = strategy.risk.max_position_size_ratio;
    if (side === 'buy' && position.sizeNorm > ratio) {
      return {
        action: 'skip',
        reason: 'position_size_limit',
        detail: `model ${this.model.version} says buy (${summary}) but the position is ${fmt(position.sizeNorm * 100)} % (${position.source}), above ${fmt(ratio * 100)} %`,
      };
    }
    return {
      action: 'signal',
      side,
      confidence,
      amount: amountForConfidence(confidence, this.deps.minConfidence, strategy.min_amount, strategy.max_amount),
      reason: `model ${this.model.version}: ${summary}`,
      details: {
        model_version: this.model.version,
        feature_set_version: FEATURE_SET_VERSION,
        feature_vector_hash: side === scores.best ? hash : hashOf(chosen),
        p_buy: round8(scores.buy.probability),
        p_sell: round8(scores.sell.probability),
        raw_p_buy: round8(scores.buy.raw),
        raw_p_sell: round8(scores.sell.raw),
        min_confidence: this.deps.minConfidence,
        inference_ms: Math.round(seconds * 1e6) / 1e3,
        ...positionDetails,
      },
    };
  }
}
