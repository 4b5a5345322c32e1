import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

import { OrderExecutionEvent } from '../contracts/order-execution.event';
import { PositionUpdateEvent } from '../contracts/position-update.event';
import { TradingSignal } from '../contracts/trading-signal';
import { TrainingCommand } from '../contracts/training-command';
import { NormalizedKline } from '../market-data/normalized-kline';
import { exampleExecutionEvent, examplePositionUpdate, exampleTradingSignal, exampleTrainingCommand } from '../testing/contract-examples';
import { parse } from './parse';
import { joinPath } from './structure-scan';

/** The contract classes also work with plain class-validator (Nest's ValidationPipe): same rules, same verdicts. */
function classValidatorFields(cls: new () => object, raw: object): string[] {
  const walk = (errors: ValidationError[], prefix: string): string[] =>
    errors.flatMap((e) => {
      const path = joinPath(prefix, e.property);
      return [...(e.constraints ? [path] : []), ...walk(e.children ?? [], path)];
    });
  return walk(validateSync(plainToInstance(cls, raw)), '');
}

function parseFields(cls: new () => object, raw: object): string[] {
  try {
    parse(cls, raw);
    return [];
  } catch (e) {
    return (e as { fieldNames: string[] }).fieldNames;
  }
}

const kline = { asset: 'BTCUSDT', interval: '1', ts: 1, candles: [{ start: 0, end: 59_999, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, confirm: true }] };

describe('class-validator parity', () => {
  it.each<[string, new () => object, object, string | null]>([
    ['valid signal', TradingSignal, exampleTradingSignal(), null],
    ['valid execution with a "Buy" side', OrderExecutionEvent, exampleExecutionEvent({ side: 'Buy' as never }), null],
    ['valid normalized kline', NormalizedKline, kline, null],
    ['negative amount', TradingSignal, exampleTradingSignal({ amount: -5 }), 'amount'],
    ['confidence 1.5', TradingSignal, exampleTradingSignal({ confidence: 1.5 }), 'confidence'],
    ['NaN amount', TradingSignal, exampleTradingSignal({ amount: NaN }), 'amount'],
    ['non-uuid signal_id', TradingSignal, exampleTradingSignal({ signal_id: 'x' }), 'signal_id'],
    ['bad timestamp', TradingSignal, exampleTradingSignal({ timestamp: '2026-02-30T00:00:00Z' }), 'timestamp'],
    ['unknown signal_type', TradingSignal, exampleTradingSignal({ signal_type: 'hold' as never }), 'signal_type'],
    ['missing model_version', TradingSignal, exampleTradingSignal({ model_version: undefined }), 'model_version'],
    ['zero snapshot price', TradingSignal, exampleTradingSignal({ market_data_snapshot: { price: 0 } }), 'market_data_snapshot.price'],
    ['snapshot as a string', TradingSignal, exampleTradingSignal({ market_data_snapshot: 'x' as never }), 'market_data_snapshot'],
    ['negative depth', TradingSignal, exampleTradingSignal({ market_data_snapshot: { orderbook_depth: { ask_depth: -1 } } }), 'market_data_snapshot.orderbook_depth.ask_depth'],
    ['bad indicator', TradingSignal, exampleTradingSignal({ market_data_snapshot: { technical_indicators: { rsi: 'x' } } as never }), 'market_data_snapshot.technical_indicators'],
    ['unknown side', OrderExecutionEvent, exampleExecutionEvent({ side: 'short' as never }), 'side'],
    ['missing slippage', OrderExecutionEvent, exampleExecutionEvent({ performance: { slippage: undefined } }), 'performance.slippage'],
    ['zero entry price while open', PositionUpdateEvent, examplePositionUpdate({ average_entry_price: 0 }), 'average_entry_price'],
    ['unknown command', TrainingCommand, exampleTrainingCommand({ command: 'x' as never }), 'command'],
    ['zero candle open', NormalizedKline, { ...kline, candles: [{ ...kline.candles[0], open: 0 }] }, 'candles[0].open'],
  ])('%s', (_name, cls, raw, field) => {
    const expected = field === null ? [] : [field];
    expect(parseFields(cls, raw)).toEqual(expected);
    expect(classValidatorFields(cls, raw)).toEqual(expected);
  });
});
