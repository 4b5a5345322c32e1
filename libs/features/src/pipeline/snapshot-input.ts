/**
 * Structural inputs of the feature pipeline. They mirror `TradingSignal.market_data_snapshot` in
 * libs/signals without importing it, and are deliberately lenient (optional, nullable) so that a
 * contract instance, a row read back from `trading_signals`, or a plain JSON object all fit. Bad or
 * absent values are handled at run time as "missing", never trusted.
 */
export interface OrderbookDepthInput {
  bid_depth?: number | null;
  ask_depth?: number | null;
  /** Optional; when both depths are present the pipeline recomputes (bid - ask) / (bid + ask). */
  imbalance?: number | null;
}

export interface SnapshotInput {
  price?: number | null;
  /** Absolute spread in price units (best ask - best bid). */
  spread?: number | null;
  volume_24h?: number | null;
  /** Per-candle volatility (`TechnicalIndicators.volatility`). */
  volatility?: number | null;
  orderbook_depth?: OrderbookDepthInput | null;
  technical_indicators?: Readonly<Record<string, number | null | undefined>> | null;
  /** Open orders of this strategy and asset at decision time. */
  open_orders_count?: number | null;
  /** Position size relative to the strategy's maximum, 0..1 (may exceed 1). */
  position_size_norm?: number | null;
  has_position?: boolean | null;
}

export type Side = 'buy' | 'sell';

/** Everything a feature may depend on: the state at decision time, the side, and the decision time. */
export interface FeatureInput {
  snapshot: SnapshotInput;
  side: Side;
  /** ISO 8601 string, Date, or epoch milliseconds. */
  timestamp: string | Date | number;
}

/** The part of a TradingSignal the pipeline reads (`featureInputFromSignal`). */
export interface SignalLike {
  signal_type: Side;
  timestamp: string | Date | number;
  market_data_snapshot: SnapshotInput;
}
