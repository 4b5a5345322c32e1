import { exampleBybitKline, exampleBybitTicker, gatewayEnvelope } from '../testing/bybit-examples';
import { EXAMPLE_TS } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { parseKline } from './market-data.parsers';
import { NormalizedKline } from './normalized-kline';

const json = (v: unknown): string => JSON.stringify(v);
const bare = exampleBybitKline('BTCUSDT', 50000, { interval: '5' });
const candle = (bare.data as Record<string, unknown>[])[0];
const withCandle = (patch: Record<string, unknown>): Record<string, unknown> => ({ ...bare, data: [{ ...candle, ...patch }] });

describe('parseKline (Bybit v5 kline.{interval}.{symbol})', () => {
  it('normalizes a bare message to numeric candles', () => {
    expect(parseKline(Buffer.from(json(bare)))).toEqual({
      asset: 'BTCUSDT',
      interval: '5',
      candles: [{ start: EXAMPLE_TS, end: EXAMPLE_TS + 299_999, open: 49950, high: 50050, low: 49900.05, close: 50000, volume: 2.081, turnover: 104050, confirm: true }],
      ts: EXAMPLE_TS + 299_999,
    });
  });

  it('keeps a series oldest first', () => {
    const k = parseKline(exampleBybitKline('ETHUSDT', 0, { closes: [100, 101, 99], interval: '1' }));
    expect(k.candles.map((c) => c.close)).toEqual([100, 101, 99]);
    expect(k.candles[1].start - k.candles[0].start).toBe(60_000);
  });

  it.each<[string, unknown]>([
    ['the gateway envelope with one candle as payload', gatewayEnvelope(bare)],
    ['the gateway envelope using `data`', gatewayEnvelope(bare, { key: 'data' })],
    ['the whole Bybit message inside the envelope', gatewayEnvelope(bare, { whole: true })],
  ])('reads %s', (_name, raw) => {
    expect(parseKline(raw)).toMatchObject({ asset: 'BTCUSDT', interval: '5', candles: [{ open: 49950, close: 50000, confirm: true }] });
  });

  it('accepts daily candles and passes a normalized kline through', () => {
    const daily = parseKline(exampleBybitKline('SOLUSDT', 150, { interval: 'D', confirm: false }));
    expect(daily).toMatchObject({ interval: 'D', candles: [{ confirm: false, end: EXAMPLE_TS + 86_399_999 }] });
    expect(parseKline(json(daily))).toEqual(daily);
  });

  const cases: [string, unknown, string][] = [
    ['a ticker message', exampleBybitTicker(), 'topic'],
    ['an interval Bybit does not have', { ...bare, topic: 'kline.2.BTCUSDT' }, 'topic'],
    ['empty data', { ...bare, data: [] }, 'data'],
    ['a candle that is not an object', { ...bare, data: [candle, 7] }, 'data[1]'],
    ['missing volume', withCandle({ volume: undefined }), 'data[0].volume'],
    ['a zero open', withCandle({ open: '0' }), 'data[0].open'],
    ['a non-numeric close', withCandle({ close: 'n/a' }), 'data[0].close'],
    ['a NaN high (object)', withCandle({ high: NaN }), 'data[0].high'],
    ['high below low', withCandle({ high: '49000' }), 'data[0].high'],
    ['end before start', withCandle({ end: EXAMPLE_TS - 1 }), 'data[0].end'],
    ['a bad start', withCandle({ start: '2026-01-01' }), 'data[0].start'],
    ['confirm as a string', withCandle({ confirm: 'true' }), 'data[0].confirm'],
    ['an interval that disagrees with the topic', withCandle({ interval: '1' }), 'data[0].interval'],
    ['an enveloped bad candle', gatewayEnvelope(withCandle({ low: '-3' }) as never), 'payload.low'],
    ['a 10 MB JSON body', json(withCandle({ note: 'x'.repeat(10 * 1024 * 1024) })), '(body)'],
    ['nested garbage 9 levels deep', withCandle({ x: nestedObject(9) }), `data[0].x${'.a'.repeat(6)}`],
    ['non-JSON body', 'kline', '(body)'],
    ['empty body', Buffer.alloc(0), '(body)'],
  ];

  it.each(cases)('rejects %s, naming the field', (_name, raw, field) => {
    expect(rejectionOf(NormalizedKline, raw).fieldNames).toContain(field);
  });
});
