// The contract classes carry class-transformer/class-validator decorators, which need the Reflect metadata API.
import 'reflect-metadata';

export {
  consumedQueueNames,
  deadLetterExchangeName,
  deadLetterQueueName,
  EXCHANGES,
  isSharedQueue,
  QUEUES,
  SHARED_QUEUES,
  signalFanoutExchangeName,
  signalRecordsQueueName,
} from './queues.constants';
export type { ExchangeName, QueueName } from './queues.constants';
export { topology } from './topology';
export type { ExchangeOverrides, Topology } from './topology';

export { BODY_FIELD, ContractValidationError } from './validation/contract-validation.error';
export type { FieldProblem } from './validation/contract-validation.error';
export { parse, safeParse } from './validation/parse';
export { LIMITS } from './validation/limits';
export { scanStructure } from './validation/structure-scan';
export type { ScanResult } from './validation/structure-scan';
export { parseIsoTimestamp } from './validation/timestamp';

export { MarketDataSnapshot, OrderbookDepth, SIGNAL_TYPES, SignalType, TradingSignal } from './contracts/trading-signal';
export { ExecutionPerformance, MarketConditions, OrderExecutionEvent } from './contracts/order-execution.event';
export type { OrderSide } from './contracts/order-execution.event';
export { derivePnlPct, PositionUpdateEvent } from './contracts/position-update.event';
export { MODEL_EVENT_TYPES, ModelEvent, ModelEventType } from './contracts/model.event';
export { TRAINING_COMMAND_TYPES, TrainingCommand, TrainingCommandType } from './contracts/training-command';

export { BOOK_UPDATE_TYPES, BybitTickerData, NormalizedTicker } from './market-data/normalized-ticker';
export type { BookUpdateType } from './market-data/normalized-ticker';
export { BybitOrderbookData, NormalizedOrderbook } from './market-data/normalized-orderbook';
export { BybitKlineCandle, KLINE_INTERVALS, NormalizedCandle, NormalizedKline } from './market-data/normalized-kline';
export type { KlineInterval } from './market-data/normalized-kline';
export { parseKline, parseOrderbook, parseTicker } from './market-data/market-data.parsers';
