import { exampleBybitOrderbook, exampleBybitTicker, gatewayEnvelope } from '../testing/bybit-examples';
import { EXAMPLE_TS } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { parseTicker } from './market-data.parsers';
import { NormalizedTicker } from './normalized-ticker';

const json = (v: unknown): string => JSON.stringify(v);
const bare = exampleBybitTicker('BTCUSDT', 50000);

describe('parseTicker (Bybit v5 tickers.{symbol})', () => {
  it('normalizes a bare spot snapshot to numbers', () => {
    expect(parseTicker(Buffer.from(json(bare)))).toEqual({
      asset: 'BTCUSDT',
      price: 50000,
      bid: 49999.5,
      ask: 50000.5,
      volume_24h: 12345.678,
      turnover_24h: 617283900,
      high_24h: 51000,
      low_24h: 48500,
      change_24h_pct: 1.23,
      type: 'snapshot',
      ts: EXAMPLE_TS,
    });
  });

  it.each<[string, unknown]>([
    ['the gateway envelope with one data item as payload', gatewayEnvelope(bare)],
    ['the gateway envelope using `data`', gatewayEnvelope(bare, { key: 'data' })],
    ['the gateway envelope carrying the whole Bybit message', gatewayEnvelope(bare, { whole: true })],
    ['a JSON string', json(gatewayEnvelope(bare))],
  ])('reads %s the same way', (_name, raw) => {
    expect(parseTicker(raw)).toMatchObject({ asset: 'BTCUSDT', price: 50000, bid: 49999.5, ask: 50000.5, ts: EXAMPLE_TS });
  });

  it.each<[string, Record<string, unknown>, number]>([
    ['lastPrice first', { lastPrice: '101', markPrice: '102' }, 101],
    ['markPrice in a linear delta without lastPrice', { lastPrice: undefined, markPrice: '102.5' }, 102.5],
    ['the bid/ask mid when only the book moved', { lastPrice: undefined, bid1Price: '99', ask1Price: '101' }, 100],
    ['an empty-string lastPrice as absent', { lastPrice: '', markPrice: '103' }, 103],
    ['JS numbers as well as strings', { lastPrice: 104.25 }, 104.25],
  ])('takes the price from %s', (_name, data, price) => {
    expect(parseTicker(exampleBybitTicker('ETHUSDT', 100, { data })).price).toBe(price);
  });

  it('passes an already-normalized ticker through (market_data exchange republishing)', () => {
    const normalized = parseTicker(bare);
    const again = parseTicker(json(normalized));
    expect(again).toBeInstanceOf(NormalizedTicker);
    expect(again).toEqual(normalized);
  });

  const deltaWithoutPrice = { topic: 'tickers.BTCUSDT', type: 'delta', ts: EXAMPLE_TS, data: { symbol: 'BTCUSDT', fundingRate: '-0.0002' } };
  const cases: [string, unknown, string][] = [
    ['missing topic', { ...bare, topic: undefined }, 'topic'],
    ['an orderbook message', exampleBybitOrderbook(), 'topic'],
    ['a lower-case topic symbol', { ...bare, topic: 'tickers.btcusdt' }, 'topic'],
    ['missing data', { ...bare, data: undefined }, 'data'],
    ['data as a string', { ...bare, data: '50000' }, 'data'],
    ['a non-numeric lastPrice', exampleBybitTicker('BTCUSDT', 1, { data: { lastPrice: 'abc' } }), 'data.lastPrice'],
    ['a zero lastPrice', exampleBybitTicker('BTCUSDT', 1, { data: { lastPrice: '0' } }), 'data.lastPrice'],
    ['a negative lastPrice', exampleBybitTicker('BTCUSDT', 1, { data: { lastPrice: '-1' } }), 'data.lastPrice'],
    ['a NaN lastPrice (object)', exampleBybitTicker('BTCUSDT', 1, { data: { lastPrice: NaN } }), 'data.lastPrice'],
    ['an Infinity bid (object)', exampleBybitTicker('BTCUSDT', 1, { data: { bid1Price: Infinity } }), 'data.bid1Price'],
    ['a negative 24h volume', exampleBybitTicker('BTCUSDT', 1, { data: { volume24h: '-5' } }), 'data.volume24h'],
    ['a delta without any price', deltaWithoutPrice, 'data.lastPrice'],
    ['a symbol that disagrees with the topic', exampleBybitTicker('BTCUSDT', 1, { data: { symbol: 'ETHUSDT' } }), 'data.symbol'],
    ['no time anywhere', { ...bare, ts: undefined }, 'ts'],
    ['a bad ts', { ...bare, ts: 'soon' }, 'ts'],
    ['an enveloped bad price', gatewayEnvelope(exampleBybitTicker('BTCUSDT', 1, { data: { lastPrice: 'x' } })), 'payload.lastPrice'],
    ['an envelope with a bad received_at', { ...gatewayEnvelope(bare), received_at: 'yesterday' }, 'received_at'],
    ['an envelope without payload', { ...gatewayEnvelope(bare), payload: undefined }, 'data'],
    ['a 10 MB field (object)', exampleBybitTicker('BTCUSDT', 1, { data: { note: 'x'.repeat(10 * 1024 * 1024) } }), 'data.note'],
    ['a 10 MB JSON body', json(exampleBybitTicker('BTCUSDT', 1, { data: { note: 'x'.repeat(10 * 1024 * 1024) } })), '(body)'],
    ['nested garbage 9 levels deep', exampleBybitTicker('BTCUSDT', 1, { data: { x: nestedObject(9) } }), `data.x${'.a'.repeat(7)}`],
    ['non-JSON body', 'tickers.BTCUSDT 50000', '(body)'],
    ['empty body', Buffer.alloc(0), '(body)'],
  ];

  it.each(cases)('rejects %s, naming the field', (_name, raw, field) => {
    const error = rejectionOf(NormalizedTicker, raw);
    expect(error.fieldNames).toContain(field);
    expect(() => parseTicker(raw)).toThrow(field);
  });
});
