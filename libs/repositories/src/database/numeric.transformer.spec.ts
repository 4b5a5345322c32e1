import { numericTransformer, parseCount, parseNumeric, parseRequiredNumeric } from './numeric.transformer';

describe('parseNumeric', () => {
  it.each([
    ['0', 0],
    ['-0.5', -0.5],
    ['42', 42],
    ['65000.12345678', 65000.12345678],
    ['0.00000001', 1e-8],
    ['1e-7', 1e-7],
    [' 12.5 ', 12.5],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    [3.25, 3.25],
  ])('parses %j to %p', (raw, expected) => {
    expect(parseNumeric(raw)).toBe(expected);
  });

  it('keeps null and undefined as null', () => {
    expect(parseNumeric(null)).toBeNull();
    expect(parseNumeric(undefined)).toBeNull();
  });

  it('maps PostgreSQL NaN to NaN', () => {
    expect(parseNumeric('NaN')).toBeNaN();
  });

  it.each(['', '  ', 'abc', '1.2.3', '12abc'])('rejects %j instead of returning NaN', (raw) => {
    expect(() => parseNumeric(raw)).toThrow(TypeError);
  });

  it('parseRequiredNumeric refuses null', () => {
    expect(() => parseRequiredNumeric(null)).toThrow('null');
    expect(parseRequiredNumeric('7')).toBe(7);
  });

  it('parseCount turns bigint strings into numbers and null into 0', () => {
    expect(parseCount('1000000')).toBe(1_000_000);
    expect(parseCount(null)).toBe(0);
  });

  it('the column transformer reads strings as numbers and writes numbers unchanged', () => {
    expect(numericTransformer.from('101.5')).toBe(101.5);
    expect(numericTransformer.from(null)).toBeNull();
    expect(numericTransformer.to(101.5)).toBe(101.5);
  });
});
