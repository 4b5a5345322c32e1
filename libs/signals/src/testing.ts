export {
  EXAMPLE_STRATEGY,
  EXAMPLE_TIME,
  EXAMPLE_TS,
  exampleExecutionEvent,
  exampleExecutionForSignal,
  exampleModelEvent,
  examplePositionUpdate,
  exampleTradingSignal,
  exampleTrainingCommand,
} from './testing/contract-examples';
export { exampleBybitKline, exampleBybitOrderbook, exampleBybitTicker, gatewayEnvelope } from './testing/bybit-examples';
export type { BybitMessage } from './testing/bybit-examples';
export { applyOverrides } from './testing/overrides';
export { nestedObject, rejectionOf } from './testing/rejection';
export type { DeepPartial, Overrides } from './testing/overrides';
