import { TradingSignal } from '../contracts/trading-signal';
import { exampleTradingSignal } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { ContractValidationError } from './contract-validation.error';
import { LIMITS } from './limits';
import { parse, safeParse } from './parse';

const json = (v: unknown): string => JSON.stringify(v);
/** A valid signal body padded with trailing whitespace to exactly `bytes` bytes. */
const paddedBody = (bytes: number): string => {
  const body = json(exampleTradingSignal());
  return body + ' '.repeat(bytes - Buffer.byteLength(body));
};

describe('parse: the body', () => {
  it.each<[string, unknown, boolean]>([
    ['a Buffer of exactly 1 MiB', Buffer.from(paddedBody(LIMITS.MAX_BODY_BYTES)), true],
    ['a Buffer one byte over 1 MiB', Buffer.from(paddedBody(LIMITS.MAX_BODY_BYTES + 1)), false],
    ['a string of exactly 1 MiB', paddedBody(LIMITS.MAX_BODY_BYTES), true],
    ['a string one byte over 1 MiB', paddedBody(LIMITS.MAX_BODY_BYTES + 1), false],
    ['a string under 1 Mi characters but over 1 MiB in UTF-8', json(exampleTradingSignal({ metadata: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'é'.repeat(9000)])) })), false],
    ['a Uint8Array', new Uint8Array(Buffer.from(json(exampleTradingSignal()))), true],
    ['a body with a UTF-8 byte-order mark', `\uFEFF${json(exampleTradingSignal())}`, true],
  ])('%s -> accepted: %s', (_name, raw, ok) => {
    if (ok) expect(parse(TradingSignal, raw)).toBeInstanceOf(TradingSignal);
    else expect(rejectionOf(TradingSignal, raw).fields).toEqual([{ field: '(body)', problems: [expect.stringMatching(/more than the 1048576 allowed/)] }]);
  });

  it.each<[string, unknown, RegExp]>([
    ['undefined', undefined, /body is empty/],
    ['null', null, /body is empty/],
    ['an empty Buffer', Buffer.alloc(0), /body is empty/],
    ['whitespace', ' \n\t', /body is empty/],
    ['truncated JSON', '{"signal_id":', /not valid JSON/],
    ['JSON null', 'null', /must be a JSON object, got null/],
    ['a JSON number', '42', /must be a JSON object, got number 42/],
    ['a JSON string', '"hello"', /must be a JSON object, got string "hello"/],
    ['a JSON array', '[]', /must be a JSON object, got array\(0\)/],
    ['a number value', 42, /must be a JSON object/],
  ])('rejects %s as a body problem', (_name, raw, problem) => {
    const error = rejectionOf(TradingSignal, raw);
    expect(error.fieldNames).toEqual(['(body)']);
    expect(error.message).toMatch(problem);
  });
});

describe('parse: structure limits anywhere in the message', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;

  it.each<[string, Record<string, unknown>, string | null]>([
    ['a string of exactly 10,000 characters', { metadata: { note: 'x'.repeat(LIMITS.MAX_STRING_LENGTH) } }, null],
    ['a string of 10,001 characters', { metadata: { note: 'x'.repeat(LIMITS.MAX_STRING_LENGTH + 1) } }, 'metadata.note'],
    ['metadata nested exactly 8 levels', { metadata: nestedObject(8) }, null],
    ['metadata nested 9 levels', { metadata: nestedObject(9) }, `metadata${'.a'.repeat(8)}`],
    ['arrays count as nesting levels', { metadata: { a: [[[[[[[[1]]]]]]]] } }, 'metadata.a[0][0][0][0][0][0][0]'],
    ['a cycle', { metadata: cyclic }, 'metadata.self'],
    ['an array of 10,001 entries', { metadata: { list: new Array(10_001).fill(0) } }, 'metadata.list'],
    ['an object of 1,001 keys', { extra: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])) }, 'extra'],
    ['a function', { metadata: { fn: () => 1 } }, 'metadata.fn'],
    ['a bigint', { metadata: { n: BigInt(1) } }, 'metadata.n'],
  ])('%s', (_name, overrides, badField) => {
    const raw = { ...exampleTradingSignal(), ...overrides };
    if (badField === null) expect(parse(TradingSignal, raw)).toBeInstanceOf(TradingSignal);
    else expect(rejectionOf(TradingSignal, raw).fieldNames).toEqual([badField]);
  });

  it('rejects a __proto__ key without touching any prototype', () => {
    const body = json(exampleTradingSignal()).replace('"metadata":{', '"metadata":{"__proto__":{"polluted":true},');
    expect(rejectionOf(TradingSignal, body).fieldNames).toEqual(['metadata.__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parse: the result and the error', () => {
  it('keeps unknown top-level fields on the instance and in its JSON', () => {
    const raw = { ...exampleTradingSignal(), is_rejected: false, rejection_reason: null, extra: { list: [1, 'two'] } };
    const signal = parse(TradingSignal, json(raw));
    expect(JSON.parse(json(signal))).toEqual(raw);
  });

  it('re-validates an existing instance', () => {
    const signal = parse(TradingSignal, exampleTradingSignal());
    expect(parse(TradingSignal, signal)).toEqual(signal);
    signal.amount = -1;
    expect(rejectionOf(TradingSignal, signal).fieldNames).toEqual(['amount']);
  });

  it('names the contract and every bad field, each with its problems', () => {
    const error = rejectionOf(TradingSignal, exampleTradingSignal({ signal_id: 'x', amount: '1' as never, market_data_snapshot: { spread: -1 } }));
    expect(error).toBeInstanceOf(ContractValidationError);
    expect(error.contract).toBe('TradingSignal');
    expect(error.fields).toEqual([
      { field: 'signal_id', problems: ['must be a UUID, got string "x"'] },
      { field: 'amount', problems: ['must be a number, got string "1"'] },
      { field: 'market_data_snapshot.spread', problems: ['must be >= 0, got -1'] },
    ]);
    expect(error.message).toBe(
      'Invalid TradingSignal: signal_id: must be a UUID, got string "x" | amount: must be a number, got string "1" | market_data_snapshot.spread: must be >= 0, got -1',
    );
    expect(error.hasField('amount')).toBe(true);
  });

  it('keeps the message bounded when everything is wrong', () => {
    const raw = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x${i}`, NaN]));
    const error = rejectionOf(TradingSignal, raw);
    expect(error.fields.length).toBeGreaterThan(20);
    expect(error.message).toMatch(/… and \d+ more fields$/);
  });

  it('safeParse returns the value or the error instead of throwing', () => {
    const good = safeParse(TradingSignal, exampleTradingSignal());
    const bad = safeParse(TradingSignal, '');
    expect(good.ok && good.value.asset).toBe('BTCUSDT');
    expect(!bad.ok && bad.error.fieldNames).toEqual(['(body)']);
  });
});
