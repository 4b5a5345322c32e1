import { assertGranularity, chunk, MAX_BIND_PARAMETERS, rowsPerStatement, SqlParams } from './sql-params';

describe('SqlParams', () => {
  it('numbers placeholders in the order values are added and keeps the values apart from the text', () => {
    const p = new SqlParams();
    const sql = `a = ${p.add("x'; DROP TABLE t; --")} AND b = ${p.add(2)}`;
    expect(sql).toBe('a = $1 AND b = $2');
    expect(p.values).toEqual(["x'; DROP TABLE t; --", 2]);
  });
});

describe('rowsPerStatement', () => {
  it.each([
    // columns, wanted, expected
    [20, 1000, 1000],
    [20, 5000, 3276], // 3276 * 20 = 65,520 <= 65,535; 3277 * 20 = 65,540 > limit
    [65_535, 10, 1],
    [1, 100_000, MAX_BIND_PARAMETERS],
    [21, 3120, 3120], // 3120 * 21 = 65,520 (exactly fits)
    [21, 3121, 3120], // one more row would need 65,541
  ])('%i columns, wanted %i -> %i rows', (columns, wanted, expected) => {
    const rows = rowsPerStatement(columns, wanted);
    expect(rows).toBe(expected);
    expect(rows * columns).toBeLessThanOrEqual(MAX_BIND_PARAMETERS);
  });

  it('rejects zero columns', () => {
    expect(() => rowsPerStatement(0, 10)).toThrow(RangeError);
  });
});

describe('chunk', () => {
  it.each([
    [0, 3, []],
    [3, 3, [3]],
    [4, 3, [3, 1]],
    [7, 3, [3, 3, 1]],
  ])('%i items by %i -> sizes %j', (n, size, sizes) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const parts = chunk(items, size);
    expect(parts.map((p) => p.length)).toEqual(sizes);
    expect(parts.flat()).toEqual(items);
  });
});

describe('assertGranularity', () => {
  it.each(['hour', 'day', 'week'])('accepts %s', (g) => expect(() => assertGranularity(g)).not.toThrow());
  it.each(['minute', 'HOUR', '', "day'); --"])('rejects %j', (g) => expect(() => assertGranularity(g)).toThrow(RangeError));
});
