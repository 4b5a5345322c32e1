import { embargoedTrainEnd, timeOrderedSplit } from './time-split';

describe('timeOrderedSplit', () => {
  it.each<[number, number, number]>([
    // n, validation fraction, first validation index
    [10, 0.2, 8],
    [10, 0.3, 7], // 10 × 0.3 = 3.0000000000000004 must not become 4 rows
    [10, 0.25, 7], // 2.5 → 3 validation rows
    [3, 0.2, 2], // any positive fraction of a non-empty dataset gets at least one row
    [10, 0, 10],
    [10, 1, 0],
    [0, 0.2, 0],
    [1, 0.2, 0],
    [1_000_000, 0.2, 800_000],
  ])('n %i, fraction %d → validation starts at %i', (n, f, boundary) => {
    expect(timeOrderedSplit(n, f)).toBe(boundary);
  });

  it.each<[number, number]>([
    [-1, 0.2],
    [2.5, 0.2],
    [10, -0.1],
    [10, 1.1],
    [10, Number.NaN],
  ])('rejects n %d, fraction %d', (n, f) => {
    expect(() => timeOrderedSplit(n, f)).toThrow(RangeError);
  });
});

describe('embargoedTrainEnd', () => {
  const ts = [0, 10, 20, 30, 30, 40, 50];
  it.each<[number, number, number]>([
    // validation start index, embargo ms, train end
    [5, 0, 5], // validation from t=40: rows before 40 stay
    [4, 0, 3], // validation from the second t=30 row: the first t=30 row leaves training (no straddling)
    [5, 10, 3], // embargo 10 ms: training only strictly before t=30
    [5, 15, 3], // cutoff 25
    [5, 40, 0], // cutoff 0: nothing strictly before it
    [7, 10, 7], // no validation rows: everything trains
    [0, 0, 0],
  ])('validation at %i with embargo %i → training ends at %i', (start, embargo, end) => {
    expect(embargoedTrainEnd(ts, start, embargo)).toBe(end);
  });

  it('rejects a negative embargo', () => {
    expect(() => embargoedTrainEnd(ts, 3, -1)).toThrow(RangeError);
  });
});
