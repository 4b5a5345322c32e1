import { examplePositionUpdate } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { parse } from '../validation/parse';
import { derivePnlPct, PositionUpdateEvent } from './position-update.event';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const json = (v: unknown): string => JSON.stringify(v);

describe('PositionUpdateEvent contract', () => {
  it('accepts the ARCHITECTURE.md example and serialises back to the same JSON', () => {
    const example = examplePositionUpdate();
    const event = parse(PositionUpdateEvent, json(example));
    expect(event).toBeInstanceOf(PositionUpdateEvent);
    expect(JSON.parse(json(event))).toEqual(example);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a closed position (size 0, entry price 0)', { size: 0, average_entry_price: 0, unrealized_pnl: 0, unrealized_pnl_pct: 0, realized_pnl: 4.2 }],
    ['no unrealized_pnl_pct (derivable)', { unrealized_pnl_pct: undefined }],
    ['no strategy_id', { strategy_id: undefined }],
    ['a losing position', { current_price: 48000, unrealized_pnl: -4, unrealized_pnl_pct: -4 }],
    ['a position-manager id that is not a UUID', { position_id: 'pos:BTCUSDT:one-way' }],
  ])('accepts %s', (_name, overrides) => {
    expect(() => parse(PositionUpdateEvent, examplePositionUpdate(overrides))).not.toThrow();
  });

  const cases: [string, unknown, string][] = [
    ['missing position_id', examplePositionUpdate({ position_id: undefined }), 'position_id'],
    ['missing current_price', examplePositionUpdate({ current_price: undefined }), 'current_price'],
    ['missing opened_at', examplePositionUpdate({ opened_at: undefined }), 'opened_at'],
    ['size as a string', examplePositionUpdate({ size: '0.002' as never }), 'size'],
    ['negative size', examplePositionUpdate({ size: -0.002 }), 'size'],
    ['zero current price', examplePositionUpdate({ current_price: 0 }), 'current_price'],
    ['zero entry price while open', examplePositionUpdate({ average_entry_price: 0 }), 'average_entry_price'],
    ['negative entry price', examplePositionUpdate({ average_entry_price: -1 }), 'average_entry_price'],
    ['NaN unrealized_pnl', examplePositionUpdate({ unrealized_pnl: NaN }), 'unrealized_pnl'],
    ['Infinity pnl pct', examplePositionUpdate({ unrealized_pnl_pct: Infinity }), 'unrealized_pnl_pct'],
    ['position_id with a space', examplePositionUpdate({ position_id: 'pos 1' }), 'position_id'],
    ['bad timestamp', examplePositionUpdate({ timestamp: '2026-01-01T25:00:00Z' }), 'timestamp'],
    ['bad asset', examplePositionUpdate({ asset: 'BTC/USDT' }), 'asset'],
    ['empty strategy_id', examplePositionUpdate({ strategy_id: '' }), 'strategy_id'],
    ['10 MB trace_id (object)', examplePositionUpdate({ trace_id: TEN_MB }), 'trace_id'],
    ['10 MB string in a JSON body', json(examplePositionUpdate({ note: TEN_MB })), '(body)'],
    ['an unknown field nested 9 levels', examplePositionUpdate({ extra: nestedObject(9) }), `extra${'.a'.repeat(8)}`],
    ['non-JSON body', '<position/>', '(body)'],
    ['empty body', Buffer.alloc(0), '(body)'],
    ['a JSON string body', '"position"', '(body)'],
  ];

  it.each(cases)('rejects %s, naming the field', (_name, raw, field) => {
    const error = rejectionOf(PositionUpdateEvent, raw);
    expect(error.fieldNames).toContain(field);
  });
});

describe('derivePnlPct', () => {
  it.each<[string, Parameters<typeof derivePnlPct>[0], number]>([
    ['uses the event value when present', { size: 1, average_entry_price: 100, current_price: 110, unrealized_pnl_pct: 7 }, 7],
    ['computes +10 % from prices', { size: 1, average_entry_price: 100, current_price: 110 }, 10],
    ['computes -2.5 % from prices', { size: 1, average_entry_price: 200, current_price: 195, unrealized_pnl_pct: null }, -2.5],
    ['is 0 at the entry price', { size: 1, average_entry_price: 100, current_price: 100 }, 0],
    ['is 0 for a closed position', { size: 0, average_entry_price: 100, current_price: 150 }, 0],
    ['is 0 without an entry price', { size: 1, average_entry_price: 0, current_price: 150 }, 0],
  ])('%s', (_name, ev, expected) => {
    expect(derivePnlPct(ev)).toBeCloseTo(expected, 10);
  });
});
