import {
  AssetField,
  EnumField,
  IdField,
  LowerCase,
  NestedField,
  NumberField,
  StrategyIdField,
  TimestampField,
  UuidField,
} from '../validation/field-rules';
import { SIGNAL_TYPES, SignalType } from './trading-signal';

/** Side of an executed order; same values as SignalType. */
export type OrderSide = SignalType;

/** Market state at execution time. */
export class MarketConditions {
  @NumberField({ gte: 0 }) spread!: number;
  @NumberField({ gte: 0 }) volume_24h!: number;
  @NumberField({ gte: 0 }) volatility!: number;
}

/** How the execution compares with the signal, and the realised result when a position closed. */
export class ExecutionPerformance {
  /** execution_price - signal_price (signed). */
  @NumberField() slippage!: number;
  @NumberField() slippage_percent!: number;
  @NumberField({ optional: true }) realized_pnl?: number | null;
  @NumberField({ optional: true }) return_percent?: number | null;
}

/**
 * An executed order reported by the order manager on `order-manager.order_events`.
 * `side` is accepted in any case ("Buy" from Bybit-style producers) and stored lower-case.
 */
export class OrderExecutionEvent {
  /** The order manager's own id (not necessarily a UUID); unique, used for idempotent intake. */
  @IdField() event_id!: string;
  @IdField() order_id!: string;
  @UuidField() signal_id!: string;
  @StrategyIdField() strategy_id!: string;
  @AssetField() asset!: string;
  @LowerCase()
  @EnumField(SIGNAL_TYPES)
  side!: OrderSide;
  @NumberField({ gt: 0 }) execution_price!: number;
  @NumberField({ gt: 0 }) execution_quantity!: number;
  @NumberField({ gte: 0 }) execution_fees!: number;
  @TimestampField() executed_at!: string;
  @NumberField({ gt: 0 }) signal_price!: number;
  @TimestampField() signal_timestamp!: string;
  @NestedField(() => MarketConditions) market_conditions!: MarketConditions;
  @NestedField(() => ExecutionPerformance) performance!: ExecutionPerformance;
  @IdField({ optional: true }) trace_id?: string | null;
}
