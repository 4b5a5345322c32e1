import { exampleTradingSignal } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { parse } from '../validation/parse';
import { TradingSignal } from './trading-signal';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const json = (v: unknown): string => JSON.stringify(v);

describe('TradingSignal contract', () => {
  it('accepts the ARCHITECTURE.md example as an object, a JSON string and a Buffer', () => {
    const example = exampleTradingSignal();
    for (const raw of [example, json(example), Buffer.from(json(example))]) {
      const signal = parse(TradingSignal, raw);
      expect(signal).toBeInstanceOf(TradingSignal);
      expect(signal.market_data_snapshot.price).toBe(50000);
      expect(JSON.parse(JSON.stringify(signal))).toEqual(example);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['confidence exactly 0', { confidence: 0 }],
    ['confidence exactly 1', { confidence: 1 }],
    ['a tiny positive amount', { amount: 1e-8 }],
    ['zero spread and volatility', { market_data_snapshot: { spread: 0, volatility: 0 } }],
    ['a sell from a model', { signal_type: 'sell', model_version: 'momentum_v1-20260101T000000', is_warmup: false }],
    ['no orderbook depth or indicators', { market_data_snapshot: { orderbook_depth: undefined, technical_indicators: undefined } }],
    ['null metadata', { metadata: null }],
    ['an exit signal with free-form metadata', { signal_type: 'sell', metadata: { exit_rule: 'take_profit', partial_fraction: 0.5, detail: { pnl_pct: 3.2 } } }],
    ['a timestamp with an offset', { timestamp: '2026-01-01T02:00:00+02:00' }],
    ['a zone-less timestamp with microseconds (Python)', { timestamp: '2026-01-01T00:00:00.123456' }],
    ['an unknown top-level field (forward compatibility)', { is_rejected: false, extra: { nested: [1, 2] } }],
    ['an unknown scalar in the snapshot (new feature)', { market_data_snapshot: { spread_bps: 0.3 } }],
  ])('accepts %s', (_name, overrides) => {
    const raw = exampleTradingSignal(overrides);
    expect(JSON.parse(JSON.stringify(parse(TradingSignal, json(raw))))).toEqual(raw);
  });

  const cases: [string, unknown, string][] = [
    ['missing signal_id', exampleTradingSignal({ signal_id: undefined }), 'signal_id'],
    ['missing snapshot price', exampleTradingSignal({ market_data_snapshot: { price: undefined } }), 'market_data_snapshot.price'],
    ['missing snapshot', exampleTradingSignal({ market_data_snapshot: undefined }), 'market_data_snapshot'],
    ['missing model_version (null is the warm-up value)', exampleTradingSignal({ model_version: undefined }), 'model_version'],
    ['missing trace_id', exampleTradingSignal({ trace_id: undefined }), 'trace_id'],
    ['amount as a string', exampleTradingSignal({ amount: '100' as never }), 'amount'],
    ['is_warmup as a string', exampleTradingSignal({ is_warmup: 'true' as never }), 'is_warmup'],
    ['snapshot as a string', exampleTradingSignal({ market_data_snapshot: 'abc' as never }), 'market_data_snapshot'],
    ['snapshot as an array', exampleTradingSignal({ market_data_snapshot: [{ price: 1 }] as never }), 'market_data_snapshot'],
    ['metadata as an array', exampleTradingSignal({ metadata: [1] as never }), 'metadata'],
    ['zero amount', exampleTradingSignal({ amount: 0 }), 'amount'],
    ['negative amount', exampleTradingSignal({ amount: -5 }), 'amount'],
    ['zero price', exampleTradingSignal({ market_data_snapshot: { price: 0 } }), 'market_data_snapshot.price'],
    ['negative depth', exampleTradingSignal({ market_data_snapshot: { orderbook_depth: { bid_depth: -1 } } }), 'market_data_snapshot.orderbook_depth.bid_depth'],
    ['confidence 1.5', exampleTradingSignal({ confidence: 1.5 }), 'confidence'],
    ['confidence just below 0', exampleTradingSignal({ confidence: -0.0001 }), 'confidence'],
    ['NaN amount', exampleTradingSignal({ amount: NaN }), 'amount'],
    ['Infinity volatility', exampleTradingSignal({ market_data_snapshot: { volatility: Infinity } }), 'market_data_snapshot.volatility'],
    ['-Infinity inside metadata', exampleTradingSignal({ metadata: { score: -Infinity } }), 'metadata.score'],
    ['a non-numeric indicator', exampleTradingSignal({ market_data_snapshot: { technical_indicators: { rsi: 'high' } } as never }), 'market_data_snapshot.technical_indicators'],
    ['non-uuid signal_id', exampleTradingSignal({ signal_id: 'sig-123' }), 'signal_id'],
    ['February 30th', exampleTradingSignal({ timestamp: '2026-02-30T00:00:00Z' }), 'timestamp'],
    ['a date without time', exampleTradingSignal({ timestamp: '2026-01-01' }), 'timestamp'],
    ['a word for a date', exampleTradingSignal({ timestamp: 'yesterday' }), 'timestamp'],
    ['epoch millis for a date', exampleTradingSignal({ timestamp: 1767225600000 as never }), 'timestamp'],
    ['unknown side "hold"', exampleTradingSignal({ signal_type: 'hold' as never }), 'signal_type'],
    ['upper-case side', exampleTradingSignal({ signal_type: 'BUY' as never }), 'signal_type'],
    ['lower-case asset with a dash', exampleTradingSignal({ asset: 'btc-usdt' }), 'asset'],
    ['empty strategy_id', exampleTradingSignal({ strategy_id: '' }), 'strategy_id'],
    ['strategy_id of 101 chars', exampleTradingSignal({ strategy_id: 's'.repeat(101) }), 'strategy_id'],
    ['10 MB strategy_id (object)', exampleTradingSignal({ strategy_id: TEN_MB }), 'strategy_id'],
    ['10 MB string in a JSON body', json(exampleTradingSignal({ metadata: { note: TEN_MB } })), '(body)'],
    ['metadata nested 9 levels', exampleTradingSignal({ metadata: nestedObject(9) }), `metadata${'.a'.repeat(8)}`],
    ['an unknown top-level field nested 9 levels', { ...exampleTradingSignal(), extra: nestedObject(9) }, `extra${'.a'.repeat(8)}`],
    ['an unknown object inside the snapshot', exampleTradingSignal({ market_data_snapshot: { garbage: { a: 1 } } }), 'market_data_snapshot.garbage'],
    ['non-JSON body', '{"signal_id": "abc", ', '(body)'],
    ['empty body', Buffer.alloc(0), '(body)'],
    ['a JSON array body', json([exampleTradingSignal()]), '(body)'],
  ];

  it.each(cases)('rejects %s, naming the field', (_name, raw, field) => {
    const error = rejectionOf(TradingSignal, raw);
    expect(error.fieldNames).toContain(field);
    expect(error.message).toContain(field);
  });

  it('lists every bad field in one error', () => {
    const error = rejectionOf(TradingSignal, exampleTradingSignal({ amount: -1, confidence: 2, asset: 'x', market_data_snapshot: { price: NaN } }));
    expect(error.fieldNames.sort()).toEqual(['amount', 'asset', 'confidence', 'market_data_snapshot.price']);
    expect(error.fields.find((f) => f.field === 'confidence')?.problems).toEqual(['must be <= 1, got 2']);
  });
});
