import {
  AssetField,
  BooleanField,
  EnumField,
  FreeFormObjectField,
  IdField,
  NestedField,
  NumberField,
  NumberMapField,
  StrategyIdField,
  StringField,
  TimestampField,
  UuidField,
} from '../validation/field-rules';

/** Direction of a trading signal (and of an execution). Usable as a value (`SignalType.BUY`) and as a type. */
export const SignalType = { BUY: 'buy', SELL: 'sell' } as const;
export type SignalType = (typeof SignalType)[keyof typeof SignalType];
export const SIGNAL_TYPES: readonly SignalType[] = Object.values(SignalType);

/** Order book depth near the top of the book at decision time. */
export class OrderbookDepth {
  /** Quote or base volume on the bid side within the observed depth. */
  @NumberField({ gte: 0 }) bid_depth!: number;
  @NumberField({ gte: 0 }) ask_depth!: number;
  /** (bid - ask) / (bid + ask), -1..1. */
  @NumberField({ gte: -1, lte: 1, optional: true }) imbalance?: number;
}

/**
 * Market state when the decision was taken; the trainer builds features from it (train/serve parity).
 * Unknown extra fields are allowed if they hold scalars (new features), nothing nested.
 */
export class MarketDataSnapshot {
  @NumberField({ gt: 0 }) price!: number;
  /** Absolute bid-ask spread in quote currency. */
  @NumberField({ gte: 0 }) spread!: number;
  @NumberField({ gte: 0 }) volume_24h!: number;
  @NumberField({ gte: 0 }) volatility!: number;
  @NestedField(() => OrderbookDepth, { optional: true }) orderbook_depth?: OrderbookDepth | null;
  /** Indicator name -> value (null when not computable yet, e.g. RSI before 14 candles). */
  @NumberMapField({ optional: true }) technical_indicators?: Record<string, number | null> | null;
  @NumberField({ gt: 0, optional: true }) bid?: number | null;
  @NumberField({ gt: 0, optional: true }) ask?: number | null;
  /** Open orders of this strategy on this asset when deciding. */
  @NumberField({ gte: 0, integer: true, optional: true }) open_orders_count?: number | null;
  /** Current position size relative to the allowed maximum (0 = flat). */
  @NumberField({ gte: 0, optional: true }) position_size_norm?: number | null;
}

/** A buy/sell decision on `model-service.trading_signals` (consumed by the order manager). */
export class TradingSignal {
  @UuidField() signal_id!: string;
  @EnumField(SIGNAL_TYPES) signal_type!: SignalType;
  @AssetField() asset!: string;
  /** Quote-currency amount (e.g. USDT), > 0. */
  @NumberField({ gt: 0 }) amount!: number;
  @NumberField({ gte: 0, lte: 1 }) confidence!: number;
  @TimestampField() timestamp!: string;
  @StrategyIdField() strategy_id!: string;
  /** null in warm-up mode (and for exit signals not produced by a model). */
  @StringField({ max: 128, nullable: true }) model_version!: string | null;
  @BooleanField() is_warmup!: boolean;
  @NestedField(() => MarketDataSnapshot) market_data_snapshot!: MarketDataSnapshot;
  /** Free-form: reason, exit_rule, partial_fraction, ... (<= 100 keys, <= 8 levels). */
  @FreeFormObjectField({ optional: true }) metadata?: Record<string, unknown> | null;
  @IdField() trace_id!: string;
}
