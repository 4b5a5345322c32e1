import { randomUUID } from 'node:crypto';

import { TECHNICAL_INDICATOR_KEYS } from '@model-service/features';
import { TradingSignal } from '@model-service/signals';
import { currentTraceId } from '@model-service/util';

import { AccountState } from '../account/account-state';
import { DecisionSource, SignalDecision, SignalSnapshot } from '../decision/decision-source';
import { MarketView } from '../market-data/market-data-cache';
import { StrategyConfig } from '../strategies/strategy-config';
import { TriggerInfo } from './strategy-runner';

export interface SignalParts {
  strategy: StrategyConfig;
  asset: string;
  decision: SignalDecision;
  /** After the guards. */
  amount: number;
  market: MarketView;
  /** The snapshot the decision was taken on (buildSnapshot). */
  snapshot: SignalSnapshot;
  now: number;
  source: DecisionSource;
  trigger: TriggerInfo;
  replicaId: string;
  guardNotes: string[];
}

/** A finite number (-0 written as 0, so the stored JSON gives back the very same value), else null. */
const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x + 0);

/**
 * The market-data snapshot of a decision: market state plus the strategy's open orders and position
 * at that moment (the trainer builds its features from exactly this). Indicators always carry every
 * key, null until computable.
 */
export function buildSnapshot(market: MarketView, account: AccountState): SignalSnapshot {
  const indicators: Record<string, number | null> = {};
  for (const key of TECHNICAL_INDICATOR_KEYS) {
    indicators[key] = key === 'candles' ? (market.indicators?.candles ?? 0) : finite(market.indicators?.[key]);
  }
  const snapshot: SignalSnapshot = {
    price: market.price,
    spread: market.spread + 0,
    volume_24h: market.volume24h,
    volatility: market.volatility + 0,
    technical_indicators: indicators,
    open_orders_count: account.openOrders.count,
    position_size_norm: account.position.sizeNorm,
    has_position: account.position.size > 0,
    position_size: account.position.size,
    change_24h_pct: market.change24hPct,
    volatility_source: market.volatilitySource,
    market_data_age_ms: Math.max(0, Math.round(market.ageMs)),
  };
  if (market.depth) snapshot.orderbook_depth = { ...market.depth };
  if (market.bid !== null) snapshot.bid = market.bid;
  if (market.ask !== null) snapshot.ask = market.ask;
  return snapshot;
}

/** A complete TradingSignal (every contract field) from a decision that passed the guards. */
export function buildSignal(p: SignalParts): TradingSignal {
  const { decision, source } = p;
  return {
    signal_id: randomUUID(),
    signal_type: decision.side,
    asset: p.asset,
    amount: p.amount,
    confidence: decision.confidence,
    timestamp: new Date(p.now).toISOString(),
    strategy_id: p.strategy.id,
    model_version: source.modelVersion,
    is_warmup: source.mode === 'warmup',
    market_data_snapshot: p.snapshot,
    metadata: {
      reason: decision.reason,
      mode: source.mode,
      ...decision.details,
      requested_amount: decision.amount,
      guard_notes: p.guardNotes,
      trigger: p.trigger.kind,
      market_data_ts: new Date(p.market.tickerTs).toISOString(),
      spread_known: p.market.spreadKnown,
      replica_id: p.replicaId,
    },
    trace_id: currentTraceId() ?? randomUUID(),
  };
}
