import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsObject, IsPositive, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';

import { decodeMessage, describeParseFailure } from './message-decoder';

class Snapshot {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  price!: number;
}

class Signal {
  @IsUUID()
  signal_id!: string;
  @IsIn(['buy', 'sell'])
  signal_type!: string;
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  confidence!: number;
  @IsString()
  asset!: string;
  @IsObject()
  @ValidateNested()
  @Type(() => Snapshot)
  market_data_snapshot!: Snapshot;
}

const valid = {
  signal_id: '6f1c1b7e-8d1a-4a8e-9d7e-2b1f8f9b2c11',
  signal_type: 'buy',
  confidence: 0.8,
  asset: 'BTCUSDT',
  market_data_snapshot: { price: 65000 },
};

const body = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('decodeMessage with a class-validator schema', () => {
  it('accepts a valid body and returns an instance of the class', async () => {
    const result = await decodeMessage<Signal>(body(valid), { schema: Signal });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value).toBeInstanceOf(Signal);
      expect(result.value.market_data_snapshot).toBeInstanceOf(Snapshot);
    }
  });

  it.each([
    ['empty body', '', /^empty body$/],
    ['whitespace body', '  \n ', /^empty body$/],
    ['not JSON', 'hello {', /not valid JSON/],
    ['truncated JSON', '{"signal_id":', /not valid JSON/],
    ['JSON array', '[1,2]', /JSON object/],
    ['JSON null', 'null', /JSON object/],
    ['JSON number', '42', /JSON object/],
    ['missing field', { ...valid, asset: undefined }, /^invalid fields: asset: /],
    ['wrong type', { ...valid, asset: 7 }, /asset: asset must be a string/],
    ['confidence 1.5', { ...valid, confidence: 1.5 }, /confidence: confidence must not be greater than 1/],
    ['confidence exactly 1 is fine', { ...valid, confidence: 1 }, null],
    ['confidence exactly 0 is fine', { ...valid, confidence: 0 }, null],
    ['confidence just below 0', { ...valid, confidence: -0.0001 }, /confidence: .*less than 0/],
    ['non-uuid id', { ...valid, signal_id: 'abc' }, /signal_id: signal_id must be a UUID/],
    ['unknown side', { ...valid, signal_type: 'hold' }, /signal_type: /],
    ['nested field', { ...valid, market_data_snapshot: { price: -1 } }, /market_data_snapshot\.price: price must be a positive number/],
    ['nested object missing', { ...valid, market_data_snapshot: undefined }, /market_data_snapshot: /],
    ['two bad fields listed', { ...valid, asset: 1, signal_id: 'x' }, /signal_id: .*; asset: /],
  ])('%s', async (_label, input, reason) => {
    const result = await decodeMessage(body(input), { schema: Signal });
    if (reason === null) {
      expect(result.ok).toBe(true);
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    }
  });

  it('keeps the parsed JSON of an invalid message (for its trace id)', async () => {
    const result = await decodeMessage(body({ trace_id: 't-9' }), { schema: Signal });
    expect(result.ok).toBe(false);
    expect(result.parsed).toEqual({ trace_id: 't-9' });
  });
});

describe('decodeMessage without schema or with a parser', () => {
  it.each([
    ['object', '{"a":1}', { a: 1 }],
    ['array', '[1]', [1]],
    ['string', '"s"', 's'],
  ])('without a schema any JSON %s is passed on', async (_label, text, expected) => {
    const result = await decodeMessage(body(text));
    expect(result).toEqual({ ok: true, value: expected, parsed: expected });
  });

  it('uses the parser and reports the fields it names', async () => {
    const error = Object.assign(new Error('TradingSignal is invalid'), {
      fields: [{ field: 'amount', message: 'must be positive' }, 'asset: must be a string'],
    });
    const result = await decodeMessage(body({ amount: -1 }), {
      parse: () => {
        throw error;
      },
    });
    expect(result).toEqual({
      ok: false,
      reason: 'TradingSignal is invalid [amount: must be positive; asset: must be a string]',
      parsed: { amount: -1 },
    });
  });

  it('hands the parsed body to the parser and keeps it as `parsed` (its trace_id survives a normalizer)', async () => {
    const result = await decodeMessage(body({ x: 1, trace_id: 't-1' }), { parse: (raw) => ({ doubled: (raw as { x: number }).x * 2 }) });
    expect(result).toEqual({ ok: true, value: { doubled: 2 }, parsed: { x: 1, trace_id: 't-1' } });
  });

  it('refuses a body that is not JSON before the parser', async () => {
    const parse = jest.fn();
    const result = await decodeMessage(Buffer.from('{nope'), { parse });
    expect(result.ok).toBe(false);
    expect(parse).not.toHaveBeenCalled();
  });

  it('still rejects an empty body before the parser', async () => {
    const result = await decodeMessage(Buffer.alloc(0), { parse: () => 'never' });
    expect(result.ok).toBe(false);
  });
});

describe('describeParseFailure', () => {
  it.each([
    ['plain error', new Error('bad'), 'bad'],
    ['string thrown', 'oops', 'oops'],
    ['fields as strings', Object.assign(new Error('invalid'), { fields: ['a: x', 'b: y'] }), 'invalid [a: x; b: y]'],
    ['fields with constraints', Object.assign(new Error('e'), { fields: [{ property: 'p', constraints: { isInt: 'p must be int' } }] }), 'e [p: p must be int]'],
    ['fields as a map', Object.assign(new Error('e'), { fields: { amount: 'must be > 0' } }), 'e [amount: must be > 0]'],
    ['empty fields', Object.assign(new Error('e'), { fields: [] }), 'e'],
  ])('%s', (_label, err, expected) => {
    expect(describeParseFailure(err)).toBe(expected);
  });
});

describe('size and shape limits before the contract', () => {
  const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));

  it.each([
    ['no schema', {}],
    ['a schema', { schema: Signal }],
  ])('refuses a body over the limit unparsed (%s)', async (_label, opts) => {
    const parseSpy = jest.spyOn(JSON, 'parse');
    const result = await decodeMessage(big, opts);
    expect(result).toEqual({ ok: false, reason: `body is ${big.length} bytes, more than the 1048576 allowed`, parsed: undefined });
    expect(parseSpy).not.toHaveBeenCalled();
    parseSpy.mockRestore();
  });

  it('refuses a body over the limit without calling the parser', async () => {
    const parse = jest.fn();
    const result = await decodeMessage(big, { parse });
    expect(result.ok).toBe(false);
    expect(parse).not.toHaveBeenCalled();
  });

  it('honours a custom maxBodyBytes (at the limit ok, one byte over refused)', async () => {
    const b = body({ a: 1 });
    expect((await decodeMessage(b, { maxBodyBytes: b.length })).ok).toBe(true);
    expect((await decodeMessage(b, { maxBodyBytes: b.length - 1 })).ok).toBe(false);
  });

  it.each([
    ['__proto__ key', `{"signal_id":"6f1c1b7e-8d1a-4a8e-9d7e-2b1f8f9b2c11","__proto__":{"polluted":true}}`, '__proto__: is a forbidden key'],
    ['deep nesting', JSON.stringify({ ...valid, extra: JSON.parse('['.repeat(50) + ']'.repeat(50)) }), 'nested deeper'],
    ['70,000-char trace_id', JSON.stringify({ ...valid, trace_id: 'x'.repeat(70_000) }), 'trace_id: string of 70000 characters'],
  ])('a schema consumer refuses %s before class-transformer', async (_label, text, reason) => {
    const result = await decodeMessage(Buffer.from(text), { schema: Signal });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
    expect(!result.ok && result.reason.length).toBeLessThan(1_000);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
