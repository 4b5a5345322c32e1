import { exampleExecutionEvent, exampleExecutionForSignal, exampleTradingSignal } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { parse } from '../validation/parse';
import { OrderExecutionEvent } from './order-execution.event';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const json = (v: unknown): string => JSON.stringify(v);

describe('OrderExecutionEvent contract', () => {
  it('accepts the ARCHITECTURE.md example from a Buffer and serialises back to the same JSON', () => {
    const example = exampleExecutionEvent();
    const event = parse(OrderExecutionEvent, Buffer.from(json(example)));
    expect(event).toBeInstanceOf(OrderExecutionEvent);
    expect(event.performance.slippage).toBe(10);
    expect(JSON.parse(json(event))).toEqual(example);
  });

  it('accepts the execution built for a signal, linked by signal_id', () => {
    const signal = exampleTradingSignal({ amount: 200 });
    const event = parse(OrderExecutionEvent, exampleExecutionForSignal(signal, { price: 50100 }));
    expect(event).toMatchObject({ signal_id: signal.signal_id, execution_quantity: 0.004, execution_price: 50100, signal_price: 50000 });
    expect(event.performance.slippage_percent).toBeCloseTo(0.2);
  });

  it.each<[string, Record<string, unknown>, Partial<OrderExecutionEvent>]>([
    ['Bybit-style "Buy" side, stored lower-case', { side: 'Buy' }, { side: 'buy' }],
    ['"SELL" side', { side: 'SELL' }, { side: 'sell' }],
    ['an order-manager event id that is not a UUID', { event_id: 'om-evt-000123:fill#1' }, { event_id: 'om-evt-000123:fill#1' }],
    ['zero fees', { execution_fees: 0 }, { execution_fees: 0 }],
    ['negative slippage', { performance: { slippage: -3.5, slippage_percent: -0.007 } }, {}],
    ['a realised result', { performance: { realized_pnl: 12.5, return_percent: 2.5 } }, {}],
    ['no trace id', { trace_id: undefined }, {}],
    ['a null trace id', { trace_id: null }, { trace_id: null }],
  ])('accepts %s', (_name, overrides, expected) => {
    expect(parse(OrderExecutionEvent, json(exampleExecutionEvent(overrides)))).toMatchObject(expected);
  });

  const cases: [string, unknown, string][] = [
    ['missing event_id', exampleExecutionEvent({ event_id: undefined }), 'event_id'],
    ['missing order_id', exampleExecutionEvent({ order_id: undefined }), 'order_id'],
    ['missing executed_at', exampleExecutionEvent({ executed_at: undefined }), 'executed_at'],
    ['missing market_conditions', exampleExecutionEvent({ market_conditions: undefined }), 'market_conditions'],
    ['missing performance.slippage', exampleExecutionEvent({ performance: { slippage: undefined } }), 'performance.slippage'],
    ['price as a string', exampleExecutionEvent({ execution_price: '50010' as never }), 'execution_price'],
    ['performance as a number', exampleExecutionEvent({ performance: 5 as never }), 'performance'],
    ['zero quantity', exampleExecutionEvent({ execution_quantity: 0 }), 'execution_quantity'],
    ['negative quantity', exampleExecutionEvent({ execution_quantity: -0.002 }), 'execution_quantity'],
    ['zero execution price', exampleExecutionEvent({ execution_price: 0 }), 'execution_price'],
    ['negative fees', exampleExecutionEvent({ execution_fees: -0.01 }), 'execution_fees'],
    ['zero signal price', exampleExecutionEvent({ signal_price: 0 }), 'signal_price'],
    ['negative spread', exampleExecutionEvent({ market_conditions: { spread: -1 } }), 'market_conditions.spread'],
    ['NaN price', exampleExecutionEvent({ execution_price: NaN }), 'execution_price'],
    ['Infinity realized_pnl', exampleExecutionEvent({ performance: { realized_pnl: Infinity } }), 'performance.realized_pnl'],
    ['non-uuid signal_id', exampleExecutionEvent({ signal_id: '12345' }), 'signal_id'],
    ['event_id with spaces', exampleExecutionEvent({ event_id: 'evt 1' }), 'event_id'],
    ['event_id of 129 chars', exampleExecutionEvent({ event_id: 'e'.repeat(129) }), 'event_id'],
    ['empty order_id', exampleExecutionEvent({ order_id: '' }), 'order_id'],
    ['bad executed_at', exampleExecutionEvent({ executed_at: '2026-13-01T00:00:00Z' }), 'executed_at'],
    ['bad signal_timestamp', exampleExecutionEvent({ signal_timestamp: '01/01/2026' }), 'signal_timestamp'],
    ['unknown side', exampleExecutionEvent({ side: 'short' as never }), 'side'],
    ['side as a number', exampleExecutionEvent({ side: 1 as never }), 'side'],
    ['10 MB order_id (object)', exampleExecutionEvent({ order_id: TEN_MB }), 'order_id'],
    ['10 MB string in a JSON body', json(exampleExecutionEvent({ note: TEN_MB })), '(body)'],
    ['an unknown field nested 9 levels', exampleExecutionEvent({ extra: nestedObject(9) }), `extra${'.a'.repeat(8)}`],
    ['an unknown object inside performance', exampleExecutionEvent({ performance: { breakdown: { fee: 1 } } }), 'performance.breakdown'],
    ['non-JSON body', 'event_id=1&side=buy', '(body)'],
    ['empty body', '', '(body)'],
    ['whitespace body', Buffer.from('  \n '), '(body)'],
  ];

  it.each(cases)('rejects %s, naming the field', (_name, raw, field) => {
    const error = rejectionOf(OrderExecutionEvent, raw);
    expect(error.fieldNames).toContain(field);
    expect(error.message).toContain(field);
  });
});
