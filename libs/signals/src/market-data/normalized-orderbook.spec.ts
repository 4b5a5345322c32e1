import { exampleBybitOrderbook, exampleBybitTicker, gatewayEnvelope } from '../testing/bybit-examples';
import { EXAMPLE_TS } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { parseOrderbook } from './market-data.parsers';
import { NormalizedOrderbook } from './normalized-orderbook';

const json = (v: unknown): string => JSON.stringify(v);
const bare = exampleBybitOrderbook('BTCUSDT', 50000, { levels: 2 });
const withData = (data: Record<string, unknown>): Record<string, unknown> => ({ ...bare, data: { ...(bare.data as object), ...data } });

describe('parseOrderbook (Bybit v5 orderbook.{depth}.{symbol})', () => {
  it('normalizes a bare snapshot to numeric levels', () => {
    expect(parseOrderbook(json(bare))).toEqual({
      asset: 'BTCUSDT',
      type: 'snapshot',
      depth: 50,
      bids: [
        [49999.5, 0.1],
        [49998.5, 0.2],
      ],
      asks: [
        [50000.5, 0.1],
        [50001.5, 0.2],
      ],
      ts: EXAMPLE_TS,
      update_id: 18521288,
      seq: 7961638724,
    });
  });

  it('keeps a delta with a removed level (size 0)', () => {
    const delta = { ...withData({ b: [['49999.5', '0']], a: [] }), type: 'delta' };
    expect(parseOrderbook(delta)).toMatchObject({ type: 'delta', bids: [[49999.5, 0]], asks: [] });
  });

  it.each<[string, unknown, string]>([
    ['the gateway envelope (which drops Bybit type: read as a snapshot)', gatewayEnvelope(bare), 'snapshot'],
    ['the gateway envelope using `data`', gatewayEnvelope(bare, { key: 'data' }), 'snapshot'],
    ['the whole Bybit delta inside the envelope', gatewayEnvelope(exampleBybitOrderbook('BTCUSDT', 50000, { levels: 2, type: 'delta' }), { whole: true }), 'delta'],
  ])('reads %s', (_name, raw, type) => {
    expect(parseOrderbook(raw)).toMatchObject({ asset: 'BTCUSDT', type, bids: [[49999.5, 0.1], [49998.5, 0.2]], ts: EXAMPLE_TS });
  });

  it('passes an already-normalized book through', () => {
    const normalized = parseOrderbook(bare);
    expect(parseOrderbook(json(normalized))).toEqual(normalized);
  });

  const cases: [string, unknown, string][] = [
    ['a ticker message', exampleBybitTicker(), 'topic'],
    ['a non-numeric depth in the topic', { ...bare, topic: 'orderbook.x.BTCUSDT' }, 'topic'],
    ['an unknown type', { ...bare, type: 'partial' }, 'type'],
    ['missing bids', withData({ b: undefined }), 'data.b'],
    ['bids as an object', withData({ b: { '50000': '1' } }), 'data.b'],
    ['a level that is not a pair', withData({ a: [['50001', '1', '2']] }), 'data.a'],
    ['a zero price level', withData({ b: [['0', '1']] }), 'data.b'],
    ['a negative size', withData({ a: [['50001', '-1']] }), 'data.a'],
    ['a non-numeric price', withData({ a: [['fifty', '1']] }), 'data.a'],
    ['a NaN size (object)', withData({ b: [['50000', NaN]] }), 'data.b'],
    ['a symbol that disagrees with the topic', withData({ s: 'ETHUSDT' }), 'data.s'],
    ['a negative update id', withData({ u: -1 }), 'data.u'],
    ['an enveloped bad level', gatewayEnvelope({ ...withData({ b: [['-1', '1']] }) } as never), 'payload.b'],
    ['no time anywhere', { ...bare, ts: undefined }, 'ts'],
    ['a 10 MB JSON body', json(withData({ note: 'x'.repeat(10 * 1024 * 1024) })), '(body)'],
    ['nested garbage 9 levels deep', withData({ x: nestedObject(9) }), `data.x${'.a'.repeat(7)}`],
    ['non-JSON body', '[[50000,1]]]', '(body)'],
    ['empty body', '', '(body)'],
  ];

  it.each(cases)('rejects %s, naming the field', (_name, raw, field) => {
    expect(rejectionOf(NormalizedOrderbook, raw).fieldNames).toContain(field);
  });
});
